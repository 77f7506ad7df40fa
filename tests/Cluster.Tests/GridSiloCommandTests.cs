using Grid.Client.Cluster;
using Grid.Cluster.Tests.Support;
using Grid.Engine.Sweeps;

namespace Grid.Cluster.Tests;

/// <summary>
/// A cluster without Kubernetes, as docs/cluster.md describes it: a real redis-server and two silos started with
/// `grid silo --redis ...`; a sweep submitted with `grid run --gateway redis://...` finishes on them; Ctrl-C (SIGINT)
/// makes a silo leave the cluster cleanly: it exits 0 and the membership table records it as dead by its own hand,
/// while the other silo stays active.
/// </summary>
public sealed class GridSiloCommandTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "grid-cluster-tests", $"silo-cmd-{Guid.NewGuid():N}"[..20]);
    private readonly List<CliSilo> _silos = [];
    private RedisServer? _redis;
    private bool _failed = true;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _redis = await RedisServer.StartAsync(_directory);
    }

    [Fact]
    public async Task Two_silos_started_with_grid_silo_run_a_sweep_and_ctrl_c_leaves_the_cluster_cleanly()
    {
        string results = Path.Combine(_directory, "results");
        string redis = _redis!.ConnectionString;
        _silos.Add(CliSilo.Start("silo1", _directory, redis, "--slots", "1", "--results", results));
        _silos.Add(CliSilo.Start("silo2", _directory, redis, "--slots", "1", "--results", results));
        await Task.WhenAll(_silos.Select(s => s.WaitActiveAsync(ProgressWait.EventBound)));

        string gateway = ClusterTarget.RedisScheme + redis;
        string spec = Path.Combine(_directory, "tiny.yaml");
        await File.WriteAllTextAsync(spec, Sweeps.Small("silo-cmd", "[0, 1]", maxIterations: 1, steps: 100));
        var run = await CliProcess.RunWorkAsync(_directory, ["run", spec, "--gateway", gateway], results);
        output.WriteLine(run.Output);
        Assert.True(run.ExitCode == 0, $"grid run exited {run.ExitCode}:\n{run.Output}\n{Logs()}");

        var manifest = Assert.Single(new SweepStore(results).List());
        Assert.Equal(2 * 2, SweepArtifacts.FinishedIterations(results, manifest.Hash));

        await using var connection = await GridConnection.ConnectAsync(gateway, CancellationToken.None);
        var management = connection.Client.GetGrain<IManagementGrain>(0);
        var active = await management.GetHosts(onlyActive: true);
        Assert.Equal(2, active.Count);

        var leaving = _silos[1];
        leaving.Interrupt();
        Assert.True(await leaving.WaitExitAsync(ProgressWait.EventBound), $"silo2 did not stop within {ProgressWait.EventBound.TotalSeconds} s of SIGINT:\n{leaving.Log}");
        Assert.True(leaving.ExitCode == 0, $"silo2 exited {leaving.ExitCode}:\n{leaving.Log}");
        Assert.Contains("left the cluster", leaving.Log);

        var hosts = await management.GetHosts(onlyActive: false);
        var status = hosts.Where(h => leaving.Owns(h.Key.ToParsableString())).Select(h => h.Value).Single();
        Assert.Equal(SiloStatus.Dead, status);
        Assert.Equal("ok", await _silos[0].StatusAsync());
        _failed = false;
    }

    public Task DisposeAsync()
    {
        if (_failed)
        {
            output.WriteLine(Logs());
        }

        foreach (var silo in _silos)
        {
            silo.Dispose();
        }

        _redis?.Dispose();
        if (!_failed)
        {
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        return Task.CompletedTask;
    }

    private string Logs() => string.Join("\n", _silos.Select(s => $"---- {s.Name} ----\n{SiloProcess.Tail(s.Log, 80)}"));
}
