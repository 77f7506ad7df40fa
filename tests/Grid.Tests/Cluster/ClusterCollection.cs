using Grid.Tests.Support;

namespace Grid.Tests.Cluster;

/// <summary>Cluster tests share the machine's two cores: they run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection : ICollectionFixture<SimulatedClusterFixture>
{
    public const string Name = "cluster";
}

/// <summary>Three silos: the primary without device slots, one with 1 slot, one with 2; simulated training.</summary>
public sealed class SimulatedClusterFixture : IAsyncLifetime
{
    public GridCluster Grid { get; private set; } = null!;

    public async Task InitializeAsync() => Grid = await GridCluster.StartAsync("simulated", 0, 1, 2);

    public async Task DisposeAsync() => await Grid.DisposeAsync();
}
