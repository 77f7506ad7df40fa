using Grid.Client.Cluster;
using Grid.Client.Specs;
using Grid.Cluster.Tests.Support;
using Grid.Engine.IO;
using Grid.Engine.Runs;
using Grid.Engine.Runs.Store;
using Grid.Engine.Sweeps;

namespace Grid.Cluster.Tests;

/// <summary>
/// Two real silo processes in Redis clustering mode, two device slots each, share one results root and so one run store.
/// Two sweeps need the same work: one seed, to max_iterations 2 in one sweep and 3 in the other under another name, so
/// every iteration but the longer sweep's last is wanted by both. The shorter sweep goes first; once its run trains and
/// every silo's placement has seen that slot busy, the longer sweep follows, and its run goes to the other silo (placement
/// takes the most free slots), where it waits for the store's claim that the first silo holds. (With a seed per silo
/// and a slot per run, a seed's two runs tended to land on one silo at every iteration, and the test failed to find a
/// victim about once in ten runs.) The silo in the middle of training stored work that the run on the other silo waits
/// for is killed with SIGKILL, and a new silo process is started. Each piece of work must still be trained to the end
/// exactly once (the store's journal), the interrupted one by a process that was not killed; no finished file may
/// change, in the store or in either sweep; and both sweeps must report the same results for it.
/// </summary>
public sealed class SharedStoreFailoverTests(ITestOutputHelper output)
{
    private const int ShorterMaxIterations = 2;
    private const int LongerMaxIterations = 3;
    private const int SlotsPerSilo = 2;
    private const int Steps = 12000; // about 12 s per iteration on one thread (its logs: step 5 000 or so 6 s into the first iteration, on a quiet machine): the longer sweep must arrive, and be placed, while the shorter trains its first iteration (after the 4 s in which every silo reads the board again); later iterations are further chances

    [Fact]
    public async Task Killing_a_silo_that_trains_shared_work_still_trains_each_stored_iteration_once_for_both_sweeps()
    {
        // The runs of one seed in the two sweeps ask for the same work.
        await using var cluster = await GridProcessCluster.StartAsync(output, silos: 2, environment => environment["Grid__DeviceSlots"] = $"{SlotsPerSilo}");
        try
        {
            await using var connection = await GridConnection.ConnectAsync(cluster.RedisGateway, CancellationToken.None);
            var shorter = await SubmittedSweep.SubmitAsync(cluster, connection, Sweeps.Small("shared-short", "[0]", ShorterMaxIterations, Steps));
            await ShorterRunTrainsAsync(cluster, connection, shorter.Coordinator);
            var longer = await SubmittedSweep.SubmitAsync(cluster, connection, Sweeps.Small("shared-long", "[0]", LongerMaxIterations, Steps));
            var store = RunStore.Of(cluster.Results);

            // The same seed links the same trunk and line in both sweeps: that work is wanted twice, at the same time.
            var work = ExpectedWork(cluster.Results, shorter.Hash, longer.Hash);
            Assert.Equal((1 + LongerMaxIterations), work.Count);

            var ledgers = new[] { ArtifactLedger.ForStore(store.Root), ArtifactLedger.ForSweep(shorter.Directory), ArtifactLedger.ForSweep(longer.Directory) };
            var scanning = ledgers.Select(l => l.StartScanning(TimeSpan.FromMilliseconds(150))).ToList();
            TrainingVictim victim;
            StoredWork interrupted;
            string? waiter = null;
            try
            {
                var both = new[] { (shorter.Coordinator, shorter.Directory), (longer.Coordinator, longer.Directory) };
                var reported = new HashSet<string>();
                victim = await TrainingVictims.FindAsync(cluster, both, healthFallback: false, accept: (candidate, statuses) =>
                {
                    string? rejection = candidate.Iteration > ShorterMaxIterations ? "only the longer sweep needs this iteration"
                        : StoredWork.Of(candidate.RunDirectory!, candidate.Iteration!.Value).IsIn(store) ? "already in the store"
                        : (waiter = WaiterOnAnotherSilo(cluster, candidate, both.Select(b => b.Directory).ToList(), statuses)) is null ? "no run on another silo waits for it"
                        : null;
                    if (rejection is not null && reported.Add($"{candidate.RunDirectory} {candidate.Iteration} {rejection}"))
                    {
                        cluster.Log($"not killing {candidate.Silo.Name}, {candidate.Why}: {rejection}"); // for the failure log when no victim is found
                    }

                    return rejection is null;
                });
                interrupted = StoredWork.Of(victim.RunDirectory!, victim.Iteration!.Value);
                cluster.Kill(victim.Silo, $"{victim.Why}: {interrupted.Part} {interrupted.Id} iteration {interrupted.Iteration} of the run store, which {waiter} waits for");
                var replacement = await cluster.StartSiloAsync();

                foreach (var sweep in new[] { shorter, longer })
                {
                    var final = await SweepCompletion.WaitForTerminalAsync(sweep.Coordinator);
                    cluster.Log($"{Path.GetFileName(sweep.Directory)} {SweepCompletion.Describe(final)}");
                    Assert.Equal(SweepState.Finished, final.State);
                }

                cluster.Log($"{replacement.Name} trained {SweepArtifacts.TrainedBy(replacement.Log).Count} iteration(s) of the sweeps' runs");
            }
            finally
            {
                foreach (var scan in scanning)
                {
                    await scan.DisposeAsync();
                }
            }

            // Every piece of work was trained to the end once, by whichever process got its claim; the interrupted one
            // by a process that was not killed.
            var trained = StoredWork.AssertEachTrainedOnce(cluster, store, work);
            var completed = trained.Single(e => StoredWork.KeyOf(e) == interrupted.Key);
            Assert.False(completed.Holder.EndsWith($" pid {victim.Silo.ProcessId}", StringComparison.Ordinal),
                $"{interrupted.Key} was finished by the killed silo ({completed.Holder}) before it died: the test did not interrupt it");
            var finisher = cluster.Silos.FirstOrDefault(s => completed.Holder.EndsWith($" pid {s.ProcessId}", StringComparison.Ordinal));
            cluster.Log($"{interrupted.Key}, interrupted on {victim.Silo.Name}, was trained to the end by {finisher?.Name ?? completed.Holder}");

            // Nothing finished was rewritten: not in the store, not in either sweep's run directories.
            foreach (var ledger in ledgers)
            {
                ledger.Scan();
                Assert.True(ledger.Violations.Count == 0, "finished artifacts changed:\n" + string.Join("\n", ledger.Violations));
            }

            Assert.Equal(work.Count, ledgers[0].Finished.Count(k => !k.EndsWith(" mask", StringComparison.Ordinal)));
            cluster.Log($"ledgers: {string.Join(", ", ledgers.Select(l => $"{l.Finished.Count} finished, {l.Files} files"))}");

            // Each stored iteration still has the files it recorded; each run directory verifies and reads whole.
            foreach (var entry in trained)
            {
                var part = new RunDirectory(entry.Part == "trunk" ? store.TrunkPath(entry.Id) : store.LinePath(entry.Id));
                var stored = part.ReadOutcome(entry.Iteration);
                Assert.True(stored is { Files: { Count: > 0 } }, $"{part.Path}: iteration {entry.Iteration} records no files");
                Assert.All(stored!.Files!, file => Assert.Equal(file.Sha256, ArtifactDigests.Of(Path.Combine(part.Path, file.File)).Sha256, ignoreCase: true));
            }

            foreach (var sweep in new[] { shorter, longer })
            {
                SweepArtifacts.AssertIntact(cluster.Results, sweep.Hash);
                foreach (string run in Directory.EnumerateDirectories(Path.Combine(sweep.Directory, "runs")))
                {
                    var check = RunIntegrity.Check(run, IntegrityDepth.Full);
                    Assert.True(check.Problem is null, $"{run}: {check.Problem}");
                    Assert.Equal(sweep == shorter ? ShorterMaxIterations + 1 : LongerMaxIterations + 1, check.Valid.Count);
                }
            }

            // Both sweeps report the same results for the iterations they share.
            var shortRows = FinishedRows(shorter.Directory);
            var longRows = FinishedRows(longer.Directory);
            Assert.Equal((ShorterMaxIterations + 1), shortRows.Count);
            Assert.Equal((LongerMaxIterations + 1), longRows.Count);
            Assert.All(shortRows, row => Assert.Equal(row.Value, longRows.GetValueOrDefault(row.Key, $"no finished row for {row.Key}")));
        }
        catch
        {
            cluster.DumpLogs();
            throw;
        }
    }

    /// <summary>
    /// Waits until the sweep's run trains (a step reported) and every silo's placement has seen its slot busy on the slot
    /// board (which each silo reads back every <see cref="BoardPeriod"/>).
    /// </summary>
    private static async Task ShorterRunTrainsAsync(GridProcessCluster cluster, GridConnection connection, ISweepGrain coordinator)
    {
        var board = connection.Client.GetGrain<ISlotBoardGrain>(GrainKeys.Singleton);
        var probe = new SiloSlots { Silo = "test-probe", UpdatedAt = DateTimeOffset.UtcNow }; // no slots: adds no capacity
        string silo = "";
        await ProgressWait.ForEventAsync("the shorter sweep's run to train, its slot busy on the board", async () =>
        {
            var status = await coordinator.GetStatus();
            var training = status.Runs.SingleOrDefault(r => r.Current is { Step: > 0 });
            var busy = (await board.Report(probe)).SingleOrDefault(s => s.Busy == 1);
            silo = training?.Silo ?? "";
            return training is not null && busy?.Silo == training.Silo;
        });
        await Task.Delay(2 * BoardPeriod); // not a deadline: the least time in which every silo reads the board again
        cluster.Log($"the shorter sweep's run trains on {silo}; submitting the longer one");
    }

    /// <summary>How often a silo reports its slots to the board and reads it back (SlotBoardPublisher.Period).</summary>
    private static readonly TimeSpan BoardPeriod = TimeSpan.FromSeconds(2);

    /// <summary>"part id iteration" of every iteration the two sweeps need (each once), from their runs' links to the
    /// store; the run of the seed must link the same trunk and line in both sweeps.</summary>
    private static IReadOnlyList<string> ExpectedWork(string results, string shorterHash, string longerHash)
    {
        var sweeps = new SweepStore(results);
        var links = new[] { shorterHash, longerHash }.Select(hash =>
        {
            var manifest = sweeps.Find(hash)!;
            return manifest.Runs.ToDictionary(r => r.Values[0], r => StoreLink.Read(sweeps.RunPath(manifest, r))!, StringComparer.Ordinal);
        }).ToList();
        Assert.Single(links[0]);
        Assert.All(links[0], seed => Assert.Equal((seed.Value.Trunk, seed.Value.Line), (links[1][seed.Key].Trunk, links[1][seed.Key].Line)));
        return [.. links[1].Values.SelectMany(l => Enumerable.Range(0, LongerMaxIterations + 1)
            .Select(n => (n == 0 ? new StoredWork("trunk", l.Trunk, 0) : new StoredWork("line", l.Line, n)).Key))];
    }

    /// <summary>
    /// A run on another live silo whose iteration is the work <paramref name="candidate"/> trains, and which is in a slot
    /// (training) but reports no step yet: it is waiting for the claim the candidate's silo holds. Null when there is none.
    /// </summary>
    private static string? WaiterOnAnotherSilo(GridProcessCluster cluster, TrainingVictim candidate, IReadOnlyList<string> directories, IReadOnlyList<SweepStatus?> statuses)
    {
        var work = StoredWork.Of(candidate.RunDirectory!, candidate.Iteration!.Value);
        for (int sweep = 0; sweep < directories.Count; sweep++)
        {
            foreach (var run in statuses[sweep]?.Runs ?? [])
            {
                string directory = Path.Combine(directories[sweep], "runs", run.RunHash);
                if (run is { State: RunState.Training, Current: null or { Step: 0 } }
                    && directory != candidate.RunDirectory
                    && cluster.Live.FirstOrDefault(s => s.Owns(run.Silo)) is { } silo && silo != candidate.Silo
                    && StoredWork.Of(directory, run.FinishedIterations) == work)
                {
                    return $"run #{run.Index} of {Path.GetFileName(directories[sweep])} on {silo.Name}";
                }
            }
        }

        return null;
    }

    /// <summary>summary.csv's finished rows by "seed/iteration", every column but the run's hash (which differs
    /// between the sweeps: their runs go to different max_iterations).</summary>
    private static IReadOnlyDictionary<string, string> FinishedRows(string sweepDirectory)
    {
        var rows = CsvText.Parse(File.ReadAllText(Path.Combine(sweepDirectory, SweepLayout.SummaryFile)));
        var header = rows[0];
        int run = IndexOf(header, "run"), seed = IndexOf(header, "seed"), iteration = IndexOf(header, "iteration"), status = IndexOf(header, "status");
        return rows.Skip(1).Where(r => r[status] == "finished").ToDictionary(
            r => $"seed {r[seed]} iteration {r[iteration]}",
            r => string.Join(",", r.Where((_, i) => i != run)));
    }

    private static int IndexOf(IReadOnlyList<string> header, string column)
    {
        int index = header.ToList().IndexOf(column);
        Assert.True(index >= 0, $"summary.csv has no column {column}: {string.Join(",", header)}");
        return index;
    }
}
