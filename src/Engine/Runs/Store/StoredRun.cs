namespace Grid.Engine.Runs.Store;

/// <summary>The two parts of the run store one run's iterations come from: its trunk (iteration 0) and its line (1, 2, …).</summary>
public sealed class StoredRun(RunStore store, StoreLink link)
{
    public RunStore Store { get; } = store;
    public StoreLink Link { get; } = link;
    public RunDirectory Trunk { get; } = new(store.TrunkPath(link.Trunk));
    public RunDirectory Line { get; } = new(store.LinePath(link.Line));

    /// <summary>The part that holds iteration <paramref name="iteration"/>'s training.</summary>
    public RunDirectory Owner(int iteration) => iteration == 0 ? Trunk : Line;

    public string Part(int iteration) => iteration == 0 ? "trunk" : "line";

    public string Id(int iteration) => iteration == 0 ? Link.Trunk : Link.Line;

    /// <summary>The rewind checkpoint this run's later iterations restart from.</summary>
    public string RewindFile(int step) => Store.RewindFile(Link.Trunk, step);

    public string PruneRecordFile(int iteration) => Path.Combine(Line.IterationPath(iteration), PruneRecord.FileName);

    /// <summary>The lock file of the claim on cutting the mask of <paramref name="iteration"/> (and writing its record).</summary>
    public string PruneClaimFile(int iteration) => Path.Combine(Line.Path, $".prune-{iteration:D3}.lock");

    /// <summary>The files a stored iteration records (relative to its part): the trunk's initial weights and the rewind
    /// checkpoints its training saved for iteration 0, then the mask it trained with, its final weights and its curves.</summary>
    public IReadOnlyList<string> FilesOf(int iteration)
    {
        var owner = Owner(iteration);
        var files = new List<string>();
        if (iteration == 0)
        {
            files.Add(RunIntegrity.InitialWeightsFile);
            string checkpoints = Path.Combine(owner.Path, RunStore.RewindDirectory);
            if (Directory.Exists(checkpoints))
            {
                files.AddRange(Directory.EnumerateFiles(checkpoints, "step-*.npz").Order(StringComparer.Ordinal)
                    .Select(f => $"{RunStore.RewindDirectory}/{Path.GetFileName(f)}"));
            }
        }

        files.AddRange(new[] { "mask.npz", "final.npz", "curves.csv" }.Select(f => $"iter-{iteration:D3}/{f}"));
        return files;
    }
}
