using Grid.Engine.Runs.Store;
using Grid.Engine.Runtime;
using Grid.Engine.Specs;
using Grid.Engine.Training;
using Grid.Engine.Training.Bundles;
using TorchSharp;

namespace Grid.Engine.Runs;

/// <summary>
/// Runs the iterations of one experiment, one at a time, against its run directory (the source of truth). A run directory
/// linked to the run store (<see cref="StoreLink"/>) gets its iterations from there, trained once for every run that shares
/// them (<see cref="StoreExecutor"/>); one without a link (written before the run store, or the engine used alone) trains in place.
/// Every call is idempotent: a finished iteration is read back, never retrained. An interrupted iteration is
/// retrained from scratch with the same random streams, so it produces the same masks. A finished iteration records
/// the size and SHA-256 of its files (<see cref="RunIntegrity"/>); an iteration trains only from finished iterations
/// that still verify, else <see cref="CorruptArtifactException"/> names the bad file. Iterations of several runs may be
/// made at once (<see cref="RunIterations"/>), those that train as bundles where that pays.
/// </summary>
public static class RunExecutor
{
    /// <summary>Trains iteration <paramref name="iteration"/> (which requires iteration - 1 finished and not last),
    /// writes its artifacts atomically and returns its outcome.</summary>
    public static IterationOutcome RunIteration(
        ExperimentSpec spec,
        string runDirectory,
        int iteration,
        torch.Device device,
        IProgress<TrainingProgress>? progress,
        CancellationToken cancellationToken,
        ThreadBudget? threads = null) =>
        RunAlone(new IterationOrder(spec, runDirectory, iteration, progress, cancellationToken), device, threads);

    /// <summary>
    /// Makes several iterations (of different runs), each exactly as <see cref="RunIteration"/> would alone (read back
    /// when finished, claims, integrity checks, the store's journal, the run directory's files), except that those that
    /// need training train together where that pays: iterations of one shape (<see cref="BundleShape"/>) in bundles
    /// (<see cref="IterationBundle"/>) as large as <see cref="BundleSizing"/> allows and the cost model
    /// (<see cref="BundlePlan"/>) chooses, the others alone. Each member's training claim is taken without waiting; one
    /// held elsewhere leaves the bundle and is made afterwards alone (waiting for the claim, then reading what its holder
    /// stored), so two hosts bundling overlapping iterations in different orders never wait on each other. A member's
    /// failure (a corrupt file, divergence, its own cancellation, changed data, …) is its <see cref="IterationAttempt.Failure"/>;
    /// the others go on. Results in the order of <paramref name="orders"/>.
    /// </summary>
    public static IReadOnlyList<IterationAttempt> RunIterations(IReadOnlyList<IterationOrder> orders, torch.Device device, ThreadBudget? threads)
    {
        var attempts = new IterationAttempt?[orders.Count];
        var jobs = new IterationJob?[orders.Count];
        var later = new List<int>();
        void Fail(int i, Exception error)
        {
            attempts[i] = new IterationAttempt(null, error);
            jobs[i]?.Dispose();
            jobs[i] = null;
        }

        try
        {
            // Inputs first, holding no training claim: what they wait on is never held by someone waiting on a training claim.
            for (int i = 0; i < orders.Count; i++)
            {
                Attempt(i, Fail, () =>
                {
                    var (finished, job) = IterationJob.Start(orders[i]);
                    if (finished is not null)
                    {
                        attempts[i] = new IterationAttempt(finished, null);
                        return;
                    }

                    jobs[i] = job;
                    job!.PrepareInputs(device, threads);
                });
            }

            for (int i = 0; i < orders.Count; i++)
            {
                Attempt(i, Fail, () =>
                {
                    if (jobs[i] is { } job && !job.Claim(wait: false, device))
                    {
                        job.Dispose();
                        jobs[i] = null;
                        later.Add(i);
                    }
                });
            }

            var training = Enumerable.Range(0, orders.Count).Where(i => jobs[i]?.Work is not null).ToList();
            int maxThreads = threads?.Max ?? TorchThreads.OfCurrentThread();
            foreach (var bundle in BundlePlan.Split([.. training.Select(i => jobs[i]!.Work!)], maxThreads, device))
            {
                var members = bundle.Select(b => training[b]).ToList();
                IReadOnlyList<MemberResult> results;
                try
                {
                    results = IterationBundle.Train([.. members.Select(i => jobs[i]!.Entry())], CancellationToken.None, threads);
                }
                catch (Exception error) when (error is not OutOfMemoryException)
                {
                    results = [.. members.Select(_ => new MemberResult(null, error))];
                }

                for (int k = 0; k < members.Count; k++)
                {
                    int i = members[k];
                    if (results[k].Failure is { } failure)
                    {
                        Fail(i, failure);
                        continue;
                    }

                    Attempt(i, Fail, () => jobs[i]!.Record(results[k].Result!, members.Count));
                }
            }

            for (int i = 0; i < orders.Count; i++)
            {
                Attempt(i, Fail, () =>
                {
                    if (jobs[i] is { } job)
                    {
                        attempts[i] = new IterationAttempt(job.Complete(device, threads), null);
                        job.Dispose();
                        jobs[i] = null;
                    }
                });
            }

            foreach (int i in later)
            {
                Attempt(i, Fail, () => attempts[i] = new IterationAttempt(RunAlone(orders[i], device, threads), null));
            }
        }
        finally
        {
            foreach (var job in jobs)
            {
                job?.Dispose();
            }
        }

        return [.. attempts.Select((a, i) => a ?? throw new InvalidOperationException($"iteration {orders[i].Iteration} of {orders[i].RunDirectory} was neither made nor failed"))];
    }

    /// <summary>One iteration alone, through the same phases, waiting for its training claim.</summary>
    private static IterationOutcome RunAlone(IterationOrder order, torch.Device device, ThreadBudget? threads)
    {
        var (finished, started) = IterationJob.Start(order);
        if (finished is not null)
        {
            return finished;
        }

        using var job = started!;
        job.PrepareInputs(device, threads);
        job.Claim(wait: true, device);
        if (job.Work is not null)
        {
            job.Record(IterationBundle.Train([job.Entry()], CancellationToken.None, threads)[0].Value, bundle: 1);
        }

        return job.Complete(device, threads);
    }

    private static void Attempt(int index, Action<int, Exception> fail, Action action)
    {
        try
        {
            action();
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            fail(index, error);
        }
    }

    /// <summary>Outcomes of the iterations already finished in <paramref name="runDirectory"/>, in order, up to the first
    /// one whose files are missing or of the wrong size (<see cref="IntegrityDepth.Quick"/>; training checks fully).</summary>
    public static IReadOnlyList<IterationOutcome> FinishedIterations(string runDirectory) =>
        RunIntegrity.Check(runDirectory, IntegrityDepth.Quick).Valid;

    /// <summary>Runs every remaining iteration of the run in order (the engine without the grid).</summary>
    public static IReadOnlyList<IterationOutcome> RunToEnd(
        ExperimentSpec spec, string runDirectory, torch.Device device, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken,
        Action<IterationOutcome>? iterationFinished = null,
        ThreadBudget? threads = null)
    {
        var outcomes = FinishedIterations(runDirectory).ToList();
        while (outcomes.Count == 0 || !outcomes[^1].IsLast)
        {
            outcomes.Add(RunIteration(spec, runDirectory, outcomes.Count, device, progress, cancellationToken, threads));
            iterationFinished?.Invoke(outcomes[^1]);
        }

        return outcomes;
    }
}
