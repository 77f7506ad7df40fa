using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Grid.Client.Cluster;
using Grid.Client.Specs;
using Grid.Cluster.Tests.Support;
using Grid.Engine.IO;
using Grid.Engine.Runs;
using Grid.Engine.Runs.Store;

namespace Grid.Cluster.Tests;

/// <summary>
/// Two real silo processes in Redis clustering mode, one device slot each, train a sweep of four seeds with
/// <c>training.bundle: 4</c>; a gather window of seconds lets the runs' iterations meet in a silo's queue and train as
/// bundles. A silo in the middle of training a bundle of two or more members is killed with SIGKILL and a new silo
/// process is started (once in a bundle of trunks, once in a bundle of pruned iterations). Every member of the killed bundle must be trained again to the end, once, by a process that was
/// not killed; no piece of work may be trained twice (the store's journal); no finished file may change, in the store or
/// in the sweep; every run directory must verify in full.
/// </summary>
public sealed partial class BundleFailoverTests(ITestOutputHelper output)
{
    private const int Seeds = 4;
    private const int MaxIterations = 2;
    private const int Bundle = 4;
    private const int Steps = 2000; // a bundle of several members trains for seconds even on a quiet machine: long enough to be caught in the middle

    [GeneratedRegex(@"^.*Training (?<count>\d+) iterations as one bundle on \S+ \(slot \d+\): (?<keys>.+)$", RegexOptions.Multiline)]
    private static partial Regex BundleLine();

    [GeneratedRegex(@"^\s+Training \S+ on ", RegexOptions.Multiline)]
    private static partial Regex SoloLine();

    /// <param name="part">The killed bundle holds an iteration of this part of the store: "trunk" (iteration 0, whose
    /// training also saves the rewind weights) or "line" (a pruned iteration, whose run has finished iterations and a cut
    /// mask that must be read back, not made again).</param>
    [Theory]
    [InlineData("trunk")]
    [InlineData("line")]
    public async Task Killing_a_silo_mid_bundle_trains_each_unfinished_member_again_once_and_retrains_nothing_finished(string part)
    {
        await using var cluster = await GridProcessCluster.StartAsync(output, silos: 2, environment =>
        {
            environment["Grid__DeviceSlots"] = "1";
            // Long enough that the four runs' next iterations reach a silo's queue together even on a busy machine.
            environment["Grid__BundleGatherMilliseconds"] = "3000";
        });
        try
        {
            await using var connection = await GridConnection.ConnectAsync(cluster.RedisGateway, CancellationToken.None);
            var (coordinator, hash, sweepDirectory) = await SubmittedSweep.SubmitAsync(cluster, connection,
                Sweeps.Small("bundle-failover", "[0, 1, 2, 3]", MaxIterations, Steps, Bundle));
            var store = RunStore.Of(cluster.Results);

            var work = ExpectedWork(sweepDirectory);
            Assert.Equal(Seeds * (1 + MaxIterations), work.Count);

            var ledgers = new[] { ArtifactLedger.ForStore(store.Root), ArtifactLedger.ForSweep(sweepDirectory) };
            var scanning = ledgers.Select(l => l.StartScanning(TimeSpan.FromMilliseconds(150))).ToList();
            TrainingVictim victim;
            IReadOnlyList<StoredWork> interrupted = [];
            try
            {
                // The two silos' bundles of trunks often finish together: the trunk case cannot also wait for finished work.
                victim = await TrainingVictims.FindAsync(cluster, [(coordinator, sweepDirectory)], healthFallback: false, accept: (candidate, statuses) =>
                    EarlyInItsIteration(candidate, statuses[0])
                    && (interrupted = UnfinishedBundleOf(candidate, sweepDirectory, store)).Count >= 2
                    && interrupted.Any(w => w.Part == part));
                var finishedBefore = work.Where(w => w.IsIn(store)).ToList();
                cluster.Kill(victim.Silo, $"{victim.Why}, in a bundle of {interrupted.Count}: {string.Join(", ", interrupted.Select(w => w.Key))}; "
                    + $"finished before: {string.Join(", ", finishedBefore.Select(w => w.Key))}");
                var replacement = await cluster.StartSiloAsync();

                var final = await SweepCompletion.WaitForTerminalAsync(coordinator);
                cluster.Log(SweepCompletion.Describe(final));
                Assert.Equal(SweepState.Finished, final.State);
                cluster.Log($"{replacement.Name} trained {SweepArtifacts.TrainedBy(replacement.Log).Count} iteration(s) of the sweep's runs");
            }
            finally
            {
                foreach (var scan in scanning)
                {
                    await scan.DisposeAsync();
                }
            }

            // Each piece of work was trained to the end exactly once; the killed bundle's members by processes that lived.
            var trained = StoredWork.AssertEachTrainedOnce(cluster, store, work.Select(w => w.Key));
            foreach (var member in interrupted)
            {
                var completed = trained.Single(e => StoredWork.KeyOf(e) == member.Key);
                Assert.False(completed.Holder.EndsWith($" pid {victim.Silo.ProcessId}", StringComparison.Ordinal),
                    $"{member.Key} was finished by the killed silo ({completed.Holder}) before it died: the test did not interrupt it");
                var finisher = cluster.Silos.FirstOrDefault(s => completed.Holder.EndsWith($" pid {s.ProcessId}", StringComparison.Ordinal));
                Assert.True(finisher is { Killed: false }, $"{member.Key} was trained to the end by {completed.Holder}, not by a live silo of the cluster");
                cluster.Log($"{member.Key}, interrupted in a bundle on {victim.Silo.Name}, was trained to the end by {finisher!.Name}");
            }

            // The silos' own logs agree: no iteration of the sweep was trained to the end twice (the killed silo's included).
            var completions = cluster.Silos.SelectMany(s => SweepArtifacts.TrainedBy(s.Log)).GroupBy(k => k).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            Assert.True(completions.Count == 0, "silo logs say trained to the end twice: " + string.Join(", ", completions));

            // Nothing finished was rewritten, in the store or in the sweep's run directories.
            foreach (var ledger in ledgers)
            {
                ledger.Scan();
                Assert.True(ledger.Violations.Count == 0, "finished artifacts changed:\n" + string.Join("\n", ledger.Violations));
            }

            Assert.Equal(work.Count, ledgers[0].Finished.Count(k => !k.EndsWith(" mask", StringComparison.Ordinal)));
            cluster.Log($"ledgers: {string.Join(", ", ledgers.Select(l => $"{l.Finished.Count} finished, {l.Files} files"))}");

            SweepArtifacts.AssertIntact(cluster.Results, hash);
            var runs = Directory.EnumerateDirectories(Path.Combine(sweepDirectory, "runs")).ToList();
            Assert.Equal(Seeds, runs.Count);
            foreach (string run in runs)
            {
                var check = RunIntegrity.Check(run, IntegrityDepth.Full);
                Assert.True(check.Problem is null, $"{run}: {check.Problem}");
                Assert.Equal(MaxIterations + 1, check.Valid.Count);
            }

            // Bundles really formed: iterations record that they trained with others.
            var bundles = runs.SelectMany(run => Enumerable.Range(0, MaxIterations + 1)
                .Select(n => (Iteration: $"{Path.GetFileName(run)}/iter-{n:D3}", Bundle: RecordedBundle(Path.Combine(run, $"iter-{n:D3}", "summary.json")))))
                .ToList();
            cluster.Log("bundle sizes recorded: " + string.Join(", ", bundles.Select(b => $"{b.Iteration} {b.Bundle?.ToString() ?? "alone"}")));
            Assert.Contains(bundles, b => b.Bundle >= 2);
        }
        catch
        {
            cluster.DumpLogs();
            throw;
        }
    }

    /// <summary>
    /// The members of the bundle the candidate's silo trains now, as the store names them, when the candidate's iteration
    /// is one of them and none of them is stored yet; empty otherwise. With one slot a silo trains one job at a time: the
    /// last "Training" line of its log names it.
    /// </summary>
    private static IReadOnlyList<StoredWork> UnfinishedBundleOf(TrainingVictim candidate, string sweepDirectory, RunStore store)
    {
        string log = candidate.Silo.Log;
        var bundle = BundleLine().Matches(log).LastOrDefault();
        var solo = SoloLine().Matches(log).LastOrDefault();
        if (bundle is null || (solo is not null && solo.Index > bundle.Index))
        {
            return [];
        }

        var members = bundle.Groups["keys"].Value.Trim().Split(", ").Select(key =>
        {
            var parts = key.Split('/');
            return StoredWork.Of(Path.Combine(sweepDirectory, "runs", parts[1]), int.Parse(parts[2]));
        }).ToList();
        var candidateWork = StoredWork.Of(candidate.RunDirectory!, candidate.Iteration!.Value);
        return members.Count == int.Parse(bundle.Groups["count"].Value) && members.Contains(candidateWork) && !members.Any(m => m.IsIn(store))
            ? members
            : [];
    }

    /// <summary>
    /// The candidate's run is no further than three quarters into its iteration, so that its bundle (whose members train
    /// in lockstep) cannot finish in the moment between the test's look and the kill.
    /// </summary>
    private static bool EarlyInItsIteration(TrainingVictim candidate, SweepStatus? status) =>
        status?.Runs.FirstOrDefault(r => r.RunHash == Path.GetFileName(candidate.RunDirectory)) is { Current: { } progress }
        && progress.Step <= progress.TotalSteps * 3 / 4;

    /// <summary>Every iteration of the run store the sweep needs, from its runs' links to the store.</summary>
    private static IReadOnlyList<StoredWork> ExpectedWork(string sweepDirectory)
    {
        var runs = Directory.EnumerateDirectories(Path.Combine(sweepDirectory, "runs")).ToList();
        Assert.Equal(Seeds, runs.Count);
        return [.. runs.SelectMany(run => Enumerable.Range(0, MaxIterations + 1).Select(n => StoredWork.Of(run, n))).Distinct()];
    }

    /// <summary>summary.json's "bundle" (members trained together, itself included); null when it trained alone.</summary>
    private static int? RecordedBundle(string summary) =>
        JsonNode.Parse(File.ReadAllText(summary))?["bundle"]?.GetValue<int>();
}
