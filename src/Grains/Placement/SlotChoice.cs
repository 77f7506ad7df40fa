using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Grid.Grains.Placement;

/// <summary>
/// Chooses the silo for an iteration, counting load in jobs (a bundle is one job): the silo left with the most free
/// slots once the iteration has joined its queue, or, when every slot is taken, the one left with the fewest jobs per
/// slot. An iteration that can join a bundle already waiting for it on a silo adds no job there, and among equal silos
/// one where it joins a bundle wins, so iterations of one key gather on one silo and train as one bundle rather than as
/// smaller bundles on several. Other ties go, for an iteration that may bundle, to the silo its key ranks first (the
/// same on every silo, so that placements made at once from several silos with the same view agree), otherwise at
/// random.
/// </summary>
public static class SlotChoice
{
    public static string Choose(IReadOnlyList<SiloQueue> candidates, BundleAffinity? iteration, Random random)
    {
        if (candidates.Count == 0)
        {
            throw new ArgumentException("no candidate silo", nameof(candidates));
        }

        var after = candidates.Select(c => (c.Silo, c.Slots, Jobs: c.With(iteration).Jobs, Before: c.Jobs))
            .Select(c => (c.Silo, c.Slots, c.Jobs, Joins: c.Jobs == c.Before)).ToList();
        int bestFree = after.Max(c => c.Slots - c.Jobs);
        var pool = bestFree >= 0
            ? after.Where(c => c.Slots - c.Jobs == bestFree).ToList()
            : after.Where(c => (double)c.Jobs / c.Slots == after.Min(x => (double)x.Jobs / x.Slots)).ToList();
        if (pool.Any(c => c.Joins))
        {
            pool = [.. pool.Where(c => c.Joins)];
        }

        if (pool.Count == 1)
        {
            return pool[0].Silo;
        }

        return iteration is { } bundling && MayBundle(bundling, candidates)
            ? pool.MaxBy(c => Rank(bundling.Key, c.Silo)).Silo
            : pool[random.Next(pool.Count)].Silo;
    }

    private static bool MayBundle(BundleAffinity iteration, IReadOnlyList<SiloQueue> candidates) =>
        iteration.Members > 1 || candidates.Any(c => c.MembersOf(iteration.Key) > 1);

    /// <summary>Rendezvous hashing: a stable rank of the silo for the key, equal on every machine.</summary>
    private static ulong Rank(string key, string silo) =>
        BinaryPrimitives.ReadUInt64LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes(key + "\n" + silo)));
}
