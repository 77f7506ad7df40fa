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
    /// <summary>The silo, and the iteration as placement counts it there (its bundles' members resolved: see
    /// <see cref="Resolve"/>), which is what the caller records as placed.</summary>
    public static (string Silo, BundleAffinity? Iteration) Choose(IReadOnlyList<SiloQueue> candidates, BundleAffinity? iteration, Random random)
    {
        if (candidates.Count == 0)
        {
            throw new ArgumentException("no candidate silo", nameof(candidates));
        }

        var placed = Resolve(iteration, candidates);
        var after = candidates.Select(c => (c.Silo, c.Slots, Jobs: c.With(placed).Jobs, Before: c.Jobs))
            .Select(c => (c.Silo, c.Slots, c.Jobs, Joins: c.Jobs == c.Before)).ToList();
        int bestFree = after.Max(c => c.Slots - c.Jobs);
        var pool = bestFree >= 0
            ? after.Where(c => c.Slots - c.Jobs == bestFree).ToList()
            : after.Where(c => (double)c.Jobs / c.Slots == after.Min(x => (double)x.Jobs / x.Slots)).ToList();
        if (pool.Any(c => c.Joins))
        {
            pool = [.. pool.Where(c => c.Joins)];
        }

        string chosen = pool.Count == 1 ? pool[0].Silo
            : placed is { Members: > 1 } bundling ? pool.MaxBy(c => Rank(bundling.Key, c.Silo)).Silo
            : pool[random.Next(pool.Count)].Silo;
        return (chosen, placed);
    }

    /// <summary>The iteration with the members of its bundles known: its spec's, or for <c>training.bundle: auto</c>
    /// (0) the most that a candidate reports for its key or that the run's own silo estimates (1 when nothing tells),
    /// taken to hold on every silo.</summary>
    private static BundleAffinity? Resolve(BundleAffinity? iteration, IReadOnlyList<SiloQueue> candidates) =>
        iteration is { Members: <= 0 } auto
            ? auto with { Members = candidates.Select(c => c.MembersOf(auto.Key)).Append(auto.OwnSiloMembers).Append(1).Max() }
            : iteration;

    /// <summary>Rendezvous hashing: a stable rank of the silo for the key, equal on every machine.</summary>
    private static ulong Rank(string key, string silo) =>
        BinaryPrimitives.ReadUInt64LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes(key + "\n" + silo)));
}
