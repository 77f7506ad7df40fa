using Grid.Client.Cluster;
using Grid.Client.Specs;
using Grid.Cluster.Tests.Support;

namespace Grid.Cluster.Tests;

/// <summary>
/// Three real silo processes in Redis clustering mode share one results store; a client (Orleans over Redis gateway
/// discovery) submits a real Fashion-MNIST sweep. Three times, a silo that is in the middle of training an iteration is
/// killed with SIGKILL and a new silo process is started. The sweep must still finish, no finished iteration may be
/// trained again (every artifact is fingerprinted the moment its iteration finishes and must never change), every
/// artifact must be whole, and the new silos must join and take work.
/// </summary>
public sealed class SiloFailoverTests(ITestOutputHelper output)
{
    private const int Seeds = 3;
    private const int MaxIterations = 5; // enough work that the third kill finds a silo mid-iteration after the first two

    [Fact]
    public async Task Killing_training_silos_three_times_finishes_the_sweep_without_retraining_or_torn_artifacts()
    {
        await using var cluster = await GridProcessCluster.StartAsync(output, silos: 3);
        try
        {
            await using var connection = await GridConnection.ConnectAsync(cluster.RedisGateway, CancellationToken.None);
            var (coordinator, hash, sweepDirectory) = await SubmittedSweep.SubmitAsync(cluster, connection, Sweeps.Small("failover", "[0, 1, 2]", MaxIterations, steps: 300));

            var ledger = ArtifactLedger.ForSweep(sweepDirectory);
            var replacements = new List<Task<SiloProcess>>();
            SiloProcess[] restarted;
            await using (ledger.StartScanning(TimeSpan.FromMilliseconds(150)))
            {
                for (int round = 1; round <= 3; round++)
                {
                    var victim = await TrainingVictims.FindAsync(cluster, [(coordinator, sweepDirectory)]);
                    cluster.Kill(victim.Silo, victim.Why);
                    // The replacement joins while the hunt for the next victim goes on (a pod restarting elsewhere).
                    replacements.Add(cluster.StartSiloAsync());
                }

                restarted = await Task.WhenAll(replacements);

                var final = await SweepCompletion.WaitForTerminalAsync(coordinator);
                cluster.Log($"sweep {final.State}: {string.Join("; ", final.Runs.Select(r => $"#{r.Index} {r.State} {r.FinishedIterations} it"))}");
                Assert.Equal(SweepState.Finished, final.State);
            }

            ledger.Scan();
            cluster.Log($"ledger: {ledger.Finished.Count} finished iterations, {ledger.Files} artifacts fingerprinted");
            Assert.True(ledger.Violations.Count == 0, "finished artifacts changed:\n" + string.Join("\n", ledger.Violations));
            int finished = SweepArtifacts.FinishedIterations(cluster.Results, hash);
            Assert.Equal(finished, ledger.Finished.Count);
            Assert.Equal(Seeds * (MaxIterations + 1), finished);
            SweepArtifacts.AssertIntact(cluster.Results, hash);

            // No iteration was trained to the end twice (the silos' own logs, killed ones included).
            var completions = cluster.Silos.SelectMany(s => SweepArtifacts.TrainedBy(s.Log)).GroupBy(k => k).ToList();
            Assert.All(completions, c => Assert.True(c.Count() == 1, $"{c.Key} was trained to the end {c.Count()} times"));
            cluster.Log($"{completions.Count} iterations trained to the end once each; claims waited for another trainer "
                + $"{cluster.Silos.Sum(s => SweepArtifacts.ClaimWaits(s.Log))} time(s)");

            // The new silos joined the cluster and trained.
            foreach (var silo in restarted)
            {
                var trained = SweepArtifacts.TrainedBy(silo.Log);
                cluster.Log($"{silo.Name}: {(silo.Killed ? "killed later" : "alive")}, trained {trained.Count} iteration(s) to the end, started {SweepArtifacts.StartedBy(silo.Log).Count}");
            }

            Assert.Contains(restarted, s => SweepArtifacts.TrainedBy(s.Log).Count > 0);
            foreach (var silo in restarted.Where(s => !s.Killed))
            {
                Assert.True(await silo.HealthAsync() is { Status: "ok" }, $"{silo.Name} is not active in the cluster");
            }
        }
        catch
        {
            cluster.DumpLogs();
            throw;
        }
    }
}
