using Grid.Engine.Runs;
using Grid.Engine.Sweeps;
using Grid.Grains.Sweeps;

namespace Grid.Client.Cluster;

/// <summary>Where `list`, `status` and `results` read sweeps from: a cluster (through its catalog) or a local results directory.</summary>
public interface ISweepSource
{
    string Description { get; }

    Task<IReadOnlyList<SweepStatus>> ListAsync();

    Task<SweepStatus> StatusAsync(string reference);

    Task<(SweepInfo Sweep, string? Csv)> TableAsync(string reference, bool aggregate);

    /// <summary>Finished iterations whose recorded files are missing or of the wrong size, one line each naming the file.</summary>
    Task<IReadOnlyList<string>> VerifyAsync(string reference);
}

public sealed class ClusterSweepSource(IClusterClient client, string gateway) : ISweepSource
{
    private ISweepCatalogGrain Catalog => client.GetGrain<ISweepCatalogGrain>(GrainKeys.Singleton);

    public string Description => $"the cluster at {gateway}";

    public Task<IReadOnlyList<SweepStatus>> ListAsync() => Catalog.List();

    public async Task<SweepStatus> StatusAsync(string reference)
    {
        var sweep = await Catalog.Resolve(reference);
        return await client.GetGrain<ISweepGrain>(sweep.Hash).Peek();
    }

    public async Task<(SweepInfo Sweep, string? Csv)> TableAsync(string reference, bool aggregate)
    {
        var sweep = await Catalog.Resolve(reference);
        return (sweep, await Catalog.ReadTable(sweep.Hash, aggregate));
    }

    public async Task<IReadOnlyList<string>> VerifyAsync(string reference) =>
        await Catalog.Verify((await Catalog.Resolve(reference)).Hash);
}

/// <summary>Reads a results directory directly; knows finished/cancelled/idle, not what a cluster is doing right now.</summary>
public sealed class LocalSweepSource(string resultsRoot) : ISweepSource
{
    private readonly SweepStore _store = new(resultsRoot);

    public string Description => _store.Root;

    public Task<IReadOnlyList<SweepStatus>> ListAsync() =>
        Task.FromResult<IReadOnlyList<SweepStatus>>([.. _store.List().Select(FromDisk)]);

    public Task<SweepStatus> StatusAsync(string reference) => Task.FromResult(FromDisk(_store.Resolve(reference)));

    public Task<(SweepInfo Sweep, string? Csv)> TableAsync(string reference, bool aggregate)
    {
        var manifest = _store.Resolve(reference);
        return Task.FromResult((SweepRuns.Info(manifest), _store.ReadTable(manifest, aggregate)));
    }

    public Task<IReadOnlyList<string>> VerifyAsync(string reference)
    {
        var manifest = _store.Resolve(reference);
        return Task.FromResult(SweepIntegrity.Problems(_store.SweepPath(manifest), manifest, IntegrityDepth.Quick));
    }

    private SweepStatus FromDisk(SweepManifest manifest)
    {
        bool cancelled = _store.IsCancelled(manifest);
        var runs = manifest.Runs.Select(r => SweepRuns.FromDisk(r, _store.RunPath(manifest, r), cancelled)).ToList();
        var failed = runs.Where(r => r.State == RunState.Failed).ToList();
        return new SweepStatus
        {
            Sweep = SweepRuns.Info(manifest),
            State = runs.All(r => r.State == RunState.Finished) ? SweepState.Finished
                : cancelled ? SweepState.Cancelled
                : runs.All(r => r.IsTerminal) && failed.Count > 0 ? SweepState.Failed
                : SweepState.Idle,
            Runs = runs,
            UpdatedAt = DateTimeOffset.UtcNow,
            Message = failed.Count > 0 ? $"{failed.Count} run(s) failed; first: run {failed[0].Index}: {failed[0].Error}" : null,
        };
    }
}
