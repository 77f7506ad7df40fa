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
            var file = SweepFile.Parse(Sweeps.Small("failover", "[0, 1, 2]", MaxIterations, steps: 300));
            Assert.True(file.IsValid, string.Join("\n", file.Errors));
            string hash = file.Sweep.Hash();
            var coordinator = connection.Client.GetGrain<ISweepGrain>(hash);
            var submitted = await coordinator.Submit(new SweepSubmission { DocumentJson = file.Document!.ToJsonString(), SourceText = file.Text });
            Assert.True(submitted.Accepted, string.Join("\n", submitted.Errors));
            string sweepDirectory = Path.Combine(cluster.Results, submitted.Sweep!.Directory);
            cluster.Log($"submitted {submitted.Sweep.Name} ({hash}): {submitted.Sweep.RunCount} runs");

            var ledger = new ArtifactLedger(sweepDirectory);
            var replacements = new List<Task<SiloProcess>>();
            SiloProcess[] restarted;
            await using (ledger.StartScanning(TimeSpan.FromMilliseconds(150)))
            {
                for (int round = 1; round <= 3; round++)
                {
                    var (victim, why) = await FindSiloMidIterationAsync(cluster, coordinator, sweepDirectory);
                    cluster.Kill(victim, why);
                    // The replacement joins while the hunt for the next victim goes on (a pod restarting elsewhere).
                    replacements.Add(cluster.StartSiloAsync());
                }

                restarted = await Task.WhenAll(replacements);

                var final = await WaitForTerminalAsync(coordinator);
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

    /// <summary>
    /// A live silo in the middle of an iteration, while at least one other silo is active. Asked of the grid's status
    /// (a run training at a step between 0 and the last, on that silo, its iteration without summary.json); when the
    /// coordinator cannot answer (its silo just died and it is being reactivated), of the silos' /healthz: a silo that
    /// has been busy training for more than a second. Fails when neither the status nor the results store has moved for
    /// <see cref="ProgressWait.Stall"/>.
    /// </summary>
    private static async Task<(SiloProcess Victim, string Why)> FindSiloMidIterationAsync(
        GridProcessCluster cluster, ISweepGrain coordinator, string sweepDirectory)
    {
        var started = DateTime.UtcNow;
        var busySince = new Dictionary<SiloProcess, DateTime>();
        string last = "nothing yet";
        string moved = "";
        var movedAt = started;
        var lastReport = started;
        while (DateTime.UtcNow - movedAt < ProgressWait.Stall)
        {
            SweepStatus? status = null;
            try
            {
                status = await coordinator.GetStatus().WaitAsync(TimeSpan.FromSeconds(3));
                last = $"{status.State}: " + string.Join("; ", status.Runs.Select(r => $"#{r.Index} {r.State} it {r.Current?.Iteration} step {r.Current?.Step}/{r.Current?.TotalSteps} on {r.Silo}"));
            }
            catch (Exception error)
            {
                last = $"status: {error.GetType().Name}: {error.Message.Split('\n')[0]}"; // the coordinator's silo may just have died
            }

            if (status is { IsTerminal: true })
            {
                throw new InvalidOperationException($"the sweep ended ({status.State}) before the test could kill a silo in the middle of an iteration: give it more work");
            }

            foreach (var run in status?.Runs ?? [])
            {
                if (run is not { State: RunState.Training, Current: { Step: > 0 } progress } || progress.Step >= progress.TotalSteps)
                {
                    continue;
                }

                var victim = cluster.Live.FirstOrDefault(s => s.Owns(run.Silo));
                string iteration = Path.Combine(sweepDirectory, "runs", run.RunHash, $"iter-{progress.Iteration:D3}");
                if (victim is null || File.Exists(Path.Combine(iteration, "summary.json")) || await victim.HealthAsync() is not { Busy: > 0 })
                {
                    continue;
                }

                if (await AnyOtherActiveAsync(cluster, victim))
                {
                    return (victim, $"training run #{run.Index} iteration {progress.Iteration} at step {progress.Step}/{progress.TotalSteps} (grid status)");
                }
            }

            if (status is null)
            {
                foreach (var silo in cluster.Live.ToList())
                {
                    if (await silo.HealthAsync() is not { Busy: > 0 })
                    {
                        busySince.Remove(silo);
                        continue;
                    }

                    var since = busySince.TryAdd(silo, DateTime.UtcNow) ? DateTime.UtcNow : busySince[silo];
                    if (DateTime.UtcNow - since > TimeSpan.FromSeconds(1) && await AnyOtherActiveAsync(cluster, silo))
                    {
                        return (silo, $"busy training for {(DateTime.UtcNow - since).TotalSeconds:F1}s (/healthz; the grid status was unavailable: {last})");
                    }
                }
            }

            string now = $"{last}; {ProgressWait.FilesUnder(sweepDirectory)}";
            if (now != moved)
            {
                moved = now;
                movedAt = DateTime.UtcNow;
            }

            if (DateTime.UtcNow - lastReport > TimeSpan.FromSeconds(15))
            {
                lastReport = DateTime.UtcNow;
                cluster.Log($"still looking for a silo in the middle of an iteration; last status {last}");
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"no silo was seen in the middle of an iteration, and nothing moved for {ProgressWait.Stall.TotalSeconds} s "
            + $"(load average {ProgressWait.LoadAverage()}); last status {last}");
    }

    private static async Task<bool> AnyOtherActiveAsync(GridProcessCluster cluster, SiloProcess victim)
    {
        foreach (var silo in cluster.Live.Where(s => s != victim))
        {
            if (await silo.HealthAsync() is { Status: "ok" })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The sweep's final status; fails when its status has not changed for <see cref="ProgressWait.Stall"/>.</summary>
    private static async Task<SweepStatus> WaitForTerminalAsync(ISweepGrain coordinator)
    {
        SweepStatus? last = null;
        return await ProgressWait.UntilAsync("the sweep to finish", async () =>
        {
            try
            {
                last = await coordinator.GetStatus();
                return last.IsTerminal ? last : null;
            }
            catch (Exception)
            {
                return null; // a silo just died: ask again
            }
        }, () => Task.FromResult(last is null ? "no status" : Describe(last)));
    }

    private static string Describe(SweepStatus status) =>
        $"{status.State}: " + string.Join("; ", status.Runs.Select(r => $"#{r.Index} {r.State} {r.FinishedIterations} it {r.Current?.Iteration} step {r.Current?.Step} {r.Error}"));
}
