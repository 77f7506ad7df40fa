using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Grid.Grains.Placement;

/// <summary>
/// Chooses the silo for an iteration, counting load in jobs (a bundle is one job): the silo left with the most free
/// slots once the iteration has joined its queue, or, when every slot is taken, the one left with the fewest jobs per
/// slot. An iteration that can join a bundle already waiting for it on a silo adds no job there, and among equal silos
/// one where it joins a bundle wins, then one where it may bundle at all, so iterations of one key gather on one silo
/// and train as one bundle rather than as smaller bundles on several. Other ties go, for an iteration that may bundle,
/// to the silo its key ranks first (the same on every silo, so that placements made at once from several silos with the
/// same view agree), otherwise at random.
/// </summary>
public static class SlotChoice
{
    /// <summary>The silo, and the iteration as placement counts it there (its bundles' members resolved for that silo:
    /// see <see cref="Resolve"/>), which is what the caller records as placed.</summary>
    public static (string Silo, BundleAffinity? Iteration) Choose(IReadOnlyList<SiloQueue> candidates, BundleAffinity? iteration, Random random)
    {
        if (candidates.Count == 0)
        {
            throw new ArgumentException("no candidate silo", nameof(candidates));
        }

        var after = candidates.Select(c =>
        {
            var placed = Resolve(iteration, c, candidates);
            int jobs = c.With(placed).Jobs;
            return (c.Silo, c.Slots, Placed: placed, Jobs: jobs, Joins: jobs == c.Jobs);
        }).ToList();
        int bestFree = after.Max(c => c.Slots - c.Jobs);
        var pool = bestFree >= 0
            ? after.Where(c => c.Slots - c.Jobs == bestFree).ToList()
            : after.Where(c => (double)c.Jobs / c.Slots == after.Min(x => (double)x.Jobs / x.Slots)).ToList();
        if (pool.Any(c => c.Joins))
        {
            pool = [.. pool.Where(c => c.Joins)];
        }

        if (pool.Any(c => c.Placed is { Members: > 1 }))
        {
            pool = [.. pool.Where(c => c.Placed is { Members: > 1 })];
        }

        var chosen = pool.Count == 1 ? pool[0]
            : pool[0].Placed is { Members: > 1 } bundling ? pool.MaxBy(c => Rank(bundling.Key, c.Silo))
            : pool[random.Next(pool.Count)];
        return (chosen.Silo, chosen.Placed);
    }

    /// <summary>The iteration with the members of its bundles on <paramref name="silo"/> known: its spec's; or for
    /// <c>training.bundle: auto</c> (0) what that silo reports for its key, else the most that a silo with the same
    /// devices reports or that the run's own silo estimates if it has the same devices, else 1; a silo that has not
    /// reported yet (devices unknown) counts as alike to every silo. (Taking the most any silo reports for every silo
    /// gathered a bundle that a GPU silo sized on a CPU silo, which then trained it alone.)</summary>
    private static BundleAffinity? Resolve(BundleAffinity? iteration, SiloQueue silo, IReadOnlyList<SiloQueue> candidates)
    {
        if (iteration is not { Members: <= 0 } auto)
        {
            return iteration;
        }

        if (silo.Reports(auto.Key))
        {
            return auto with { Members = silo.MembersOf(auto.Key) };
        }

        bool unknown = silo.Device.Length == 0; // no report yet: as likely the run silo's devices as any
        var alike = candidates.Where(c => (unknown || c.Device == silo.Device) && c.Reports(auto.Key)).Select(c => c.MembersOf(auto.Key));
        int estimate = unknown || silo.Device == auto.OwnSiloDevice ? auto.OwnSiloMembers : 1;
        return auto with { Members = alike.Append(estimate).Append(1).Max() };
    }

    /// <summary>Rendezvous hashing: a stable rank of the silo for the key, equal on every machine.</summary>
    private static ulong Rank(string key, string silo) =>
        BinaryPrimitives.ReadUInt64LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes(key + "\n" + silo)));
}
