using Grid.Client.Specs;
using Grid.Cluster.Tests.Support;

namespace Grid.Cluster.Tests;

/// <summary>
/// A sweep submitted with `grid run --detach` (the client disconnects at once) must finish by itself: first the silo
/// hosting its coordinator is killed; then every silo is killed and two new ones are started. After the second blow
/// nothing of the sweep is active anywhere and no client calls, so only the coordinator's reminder (kept in Redis) can
/// bring it back, and it must.
/// </summary>
public sealed class CoordinatorRecoveryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_detached_sweep_survives_its_coordinators_silo_and_then_the_whole_cluster_through_its_reminder()
    {
        await using var cluster = await GridProcessCluster.StartAsync(output, silos: 3);
        try
        {
            const string name = "unattended";
            string yaml = Sweeps.Small(name, "[3, 4]", maxIterations: 2, steps: 300);
            var file = SweepFile.Parse(yaml);
            Assert.True(file.IsValid, string.Join("\n", file.Errors));
            string hash = file.Sweep.Hash();
            string spec = Path.Combine(cluster.Directory, $"{name}.yaml");
            await File.WriteAllTextAsync(spec, yaml);
            int total = 2 * (2 + 1);

            var (exit, cli) = await cluster.RunCliAsync(ProgressWait.EventBound, "run", spec, "--gateway", cluster.RedisGateway, "--detach");
            Assert.True(exit == 0, $"grid run --detach exited with {exit}:\n{cli}");
            Assert.Contains("Submitted", cli);

            // Blow 1: the silo that hosts the coordinator dies while the sweep trains; no client is connected.
            SiloProcess? coordinatorSilo = null;
            await ProgressWait.ForEventAsync("the coordinator's silo to log the submission",
                () => (coordinatorSilo = cluster.Live.FirstOrDefault(s => s.Log.Contains($"Sweep {name} ({hash}) submitted", StringComparison.Ordinal))) is not null);
            await ProgressWait.ForEventAsync("training to start", () => AnyBusyAsync(cluster));
            cluster.Kill(coordinatorSilo!, "it hosts the sweep's coordinator");
            int before = SweepArtifacts.FinishedIterations(cluster.Results, hash);
            await ProgressWait.UntilAsync("an iteration to finish after the coordinator's silo died",
                () => SweepArtifacts.FinishedIterations(cluster.Results, hash) > before, () => ProgressWait.FilesUnder(cluster.Results));
            int afterFirst = SweepArtifacts.FinishedIterations(cluster.Results, hash);
            cluster.Log($"{afterFirst}/{total} iterations finished after the first blow");
            Assert.True(afterFirst < total, "the sweep finished before the second blow: give it more work");

            // Blow 2: every silo dies. Two new silos (on the ports of two of the dead, so that they replace them at
            // once in the membership table) start; nothing of the sweep is active and no client calls.
            var survivors = cluster.Live.ToList();
            foreach (var silo in survivors)
            {
                cluster.Kill(silo, "the whole cluster goes down");
            }

            var restarted = await Task.WhenAll(survivors.Take(2).Select(s => cluster.StartSiloAsync(samePortsAs: s)));
            await ProgressWait.UntilAsync("the sweep to finish with no client attached",
                () => SweepArtifacts.AllRunsFinished(cluster.Results, hash), () => ProgressWait.FilesUnder(cluster.Results));
            cluster.Log($"all {SweepArtifacts.FinishedIterations(cluster.Results, hash)} iterations finished");

            Assert.Contains(restarted, s => s.Log.Contains($"Sweep {hash} resumed by its reminder", StringComparison.Ordinal));
            await ProgressWait.ForEventAsync("the finished sweep's coordinator to drop its reminder",
                () => restarted.Any(s => s.Log.Contains($"Sweep {hash}: reminder removed (Finished)", StringComparison.Ordinal)));
            Assert.Equal(total, SweepArtifacts.FinishedIterations(cluster.Results, hash));
            SweepArtifacts.AssertIntact(cluster.Results, hash);
        }
        catch
        {
            cluster.DumpLogs();
            throw;
        }
    }

    private static async Task<bool> AnyBusyAsync(GridProcessCluster cluster)
    {
        foreach (var silo in cluster.Live)
        {
            if (await silo.HealthAsync() is { Busy: > 0 })
            {
                return true;
            }
        }

        return false;
    }
}
