using Grid.Engine.Runs.Store;

namespace Grid.Cluster.Tests.Support;

/// <summary>One iteration of the run store, named as the journal names it ("trunk id 0", "line id n").</summary>
public sealed record StoredWork(string Part, string Id, int Iteration)
{
    public string Key => $"{Part} {Id} {Iteration}";

    public static string KeyOf(StoreEvent entry) => new StoredWork(entry.Part, entry.Id, entry.Iteration).Key;

    /// <summary>The stored work a sweep's run trains at <paramref name="iteration"/>.</summary>
    public static StoredWork Of(string runDirectory, int iteration)
    {
        var link = StoreLink.Read(runDirectory) ?? throw new InvalidOperationException($"{runDirectory}: no store.json");
        return iteration == 0 ? new StoredWork("trunk", link.Trunk, 0) : new StoredWork("line", link.Line, iteration);
    }

    /// <summary>True once the store holds this iteration finished (its summary.json).</summary>
    public bool IsIn(RunStore store)
    {
        string part = Part == "trunk" ? store.TrunkPath(Id) : store.LinePath(Id);
        return File.Exists(Path.Combine(part, $"iter-{Iteration:D3}", "summary.json"));
    }

    /// <summary>
    /// The store's journal after a sweep with kills: every expected piece of work was trained to the end exactly once and
    /// no mask was cut twice (asserted); returns the journal's trained entries.
    /// </summary>
    public static IReadOnlyList<StoreEvent> AssertEachTrainedOnce(GridProcessCluster cluster, RunStore store, IEnumerable<string> expectedKeys)
    {
        var journal = store.ReadJournal();
        cluster.Log("journal:\n" + string.Join("\n", journal.Select(e => e.ToLine())));
        var trained = journal.Where(e => e.Event == StoreEvent.Trained).ToList();
        var twice = trained.GroupBy(KeyOf).Where(g => g.Count() > 1).Select(g => $"{g.Key} by {string.Join(", ", g.Select(e => e.Holder))}").ToList();
        Assert.True(twice.Count == 0, "trained more than once: " + string.Join("; ", twice));
        Assert.Equal(expectedKeys.Order(), trained.Select(KeyOf).Order());
        var cuts = journal.Where(e => e.Event == StoreEvent.Pruned).GroupBy(KeyOf).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(cuts.Count == 0, "masks cut more than once: " + string.Join("; ", cuts));
        return trained;
    }
}
