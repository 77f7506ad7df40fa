using Grid.Engine.Runs;
using Grid.Engine.Sweeps;
using Grid.Grains.Hosting;
using Grid.Grains.Sweeps;
using Orleans.Concurrency;

namespace Grid.Grains;

/// <summary>Lists and resolves sweeps from the results store of the silo it runs on (the shared store of the cluster).</summary>
[StatelessWorker]
public sealed class SweepCatalogGrain(IOptions<GridOptions> options) : Grain, ISweepCatalogGrain
{
    private readonly SweepStore _store = new(options.Value.ResultsPath);

    public async Task<IReadOnlyList<SweepStatus>> List()
    {
        var manifests = await Task.Run(_store.List);
        var statuses = await Task.WhenAll(manifests.Select(m => GrainFactory.GetGrain<ISweepGrain>(m.Hash).Peek()));
        return statuses;
    }

    public async Task<SweepInfo> Resolve(string reference)
    {
        var manifest = await Task.Run(() => _store.Resolve(reference));
        return SweepRuns.Info(manifest);
    }

    public Task<string?> ReadTable(string sweepHash, bool aggregate) =>
        Task.Run(() => _store.Find(sweepHash) is { } manifest ? _store.ReadTable(manifest, aggregate) : null);

    public Task<IReadOnlyList<string>> Verify(string sweepHash) =>
        Task.Run(() => _store.Find(sweepHash) is { } manifest
            ? SweepIntegrity.Problems(_store.SweepPath(manifest), manifest, IntegrityDepth.Quick)
            : (IReadOnlyList<string>)[]);
}
