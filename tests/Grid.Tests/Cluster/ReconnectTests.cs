using Grid.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;

namespace Grid.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class ReconnectTests(SimulatedClusterFixture fixture)
{
    [Fact]
    public async Task A_client_that_disconnects_and_reconnects_can_watch_the_sweep_again()
    {
        var grid = fixture.Grid;
        IHost first = await ConnectAsync(grid);
        var (_, submitted, _) = await grid.SubmitAsync(TestSweeps.Simulated("reconnect", iterations: 3, millisecondsPerIteration: 200, seeds: "[0]", fractions: "[1]"), Client(first));
        var watched = await GridCluster.WaitForAsync(Client(first).GetGrain<ISweepGrain>(submitted.Sweep!.Hash), s => s.FinishedIterations >= 1, "a first iteration");
        Assert.Equal(SweepState.Running, watched.State);

        await first.StopAsync(); // the client goes away mid-sweep; the sweep does not care
        first.Dispose();

        using IHost second = await ConnectAsync(grid);
        var catalog = Client(second).GetGrain<ISweepCatalogGrain>(GrainKeys.Singleton);
        var found = await catalog.Resolve("reconnect");
        Assert.Equal(submitted.Sweep.Hash, found.Hash);
        var status = await GridCluster.WaitForAsync(Client(second).GetGrain<ISweepGrain>(found.Hash), s => s.IsTerminal, "the sweep to finish");

        Assert.Equal(SweepState.Finished, status.State);
        Assert.Equal(3, status.FinishedIterations);
        Assert.Contains(await catalog.List(), s => s.Sweep.Hash == found.Hash && s.State == SweepState.Finished);
        Assert.NotNull(await catalog.ReadTable(found.Hash, aggregate: false));
        await second.StopAsync();
    }

    private static IClusterClient Client(IHost host) => host.Services.GetRequiredService<IClusterClient>();

    /// <summary>A separate client process would do the same: static gateway list, the cluster's ids.</summary>
    private static async Task<IHost> ConnectAsync(GridCluster grid)
    {
        var gateway = grid.Cluster.Primary!.GatewayAddress!.Endpoint;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(client =>
        {
            client.UseStaticClustering(gateway);
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = grid.Cluster.Options.ClusterId;
                o.ServiceId = grid.Cluster.Options.ServiceId;
            });
        });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
