using Grid.Engine.IO;
using Grid.Engine.Runs.Store;
using Grid.Engine.Runtime;
using Grid.Engine.Specs;
using Grid.Engine.Training;
using TorchSharp;

namespace Grid.Engine.Runs;

/// <summary>
/// One iteration of one run, made in phases so that iterations of several runs can train together
/// (<see cref="RunExecutor.RunIterations"/>) and one alone the same way (<see cref="RunExecutor.RunIteration"/>):
/// <see cref="Start"/> (the checks every iteration passes: read back if finished, the run's spec, integrity, history),
/// <see cref="PrepareInputs"/> (what training reads and others may be making: waits on their claims, holds none of its
/// own), <see cref="Claim"/> (the training claim, then the <see cref="IterationWork"/> when it still needs training),
/// training by the caller, <see cref="Record"/> (what training made, on disk) and <see cref="Complete"/> (the next
/// mask and the run's summary). Two kinds: a run trained in its own directory (<see cref="InPlaceIteration"/>) and
/// one linked to the run store (<see cref="StoredIteration"/>).
/// </summary>
public abstract class IterationJob(IterationOrder order, RunDirectory run, IReadOnlyList<IterationOutcome> history) : IDisposable
{
    private FileClaim? _claim;

    public IterationOrder Order { get; } = order;
    public ExperimentSpec Spec => Order.Spec;
    public int Iteration => Order.Iteration;
    protected RunDirectory Run { get; } = run;

    /// <summary>The finished iterations before this one (verified).</summary>
    protected IReadOnlyList<IterationOutcome> History { get; } = history;

    /// <summary>Open from a successful <see cref="Claim"/> until disposed when the iteration trains here; null when
    /// another holder trained it meanwhile.</summary>
    public IterationWork? Work { get; private set; }

    /// <summary>The finished outcome when the iteration is read back, else a job to make it; throws what
    /// <see cref="RunExecutor.RunIteration"/> throws for an iteration it cannot make (corrupt or missing history, a
    /// run that ended, a directory of another spec).</summary>
    public static (IterationOutcome? Finished, IterationJob? Job) Start(IterationOrder order)
    {
        var run = new RunDirectory(order.RunDirectory);
        int iteration = order.Iteration;
        if (run.ReadOutcome(iteration) is { } finished)
        {
            return (finished, null);
        }

        run.Claim(order.Spec);
        var check = RunIntegrity.Check(run.Path, IntegrityDepth.Full);
        if (check.Problem is { } problem && problem.Iteration <= iteration)
        {
            throw new CorruptArtifactException(problem); // what this iteration trains from cannot be trusted
        }

        var history = check.Valid;
        if (history.Count < iteration)
        {
            throw new CorruptArtifactException(run.SummaryFile(history.Count), $"missing: iteration {iteration} needs iteration {history.Count} to finish first");
        }

        if (history.Count > 0 && history[^1].IsLast && history.Count == iteration)
        {
            throw new InvalidOperationException($"{run.Path}: the run ended after iteration {iteration - 1} ({history[^1].StopReason})");
        }

        IReadOnlyList<IterationOutcome> before = [.. history.Take(iteration)];
        IterationJob job = StoreLink.Read(run.Path) is { } link
            ? new StoredIteration(order, run, link, before)
            : new InPlaceIteration(order, run, before);
        return (null, job);
    }

    /// <summary>Makes (or waits for) what training reads besides the work's own files; holds no claim afterwards.</summary>
    public abstract void PrepareInputs(torch.Device device, ThreadBudget? threads);

    /// <summary>Takes the training claim, waiting for it when <paramref name="wait"/>, else false when another holder (in
    /// this process or another) has it; then opens <see cref="Work"/> unless the iteration was trained meanwhile.</summary>
    public bool Claim(bool wait, torch.Device device)
    {
        _claim = wait
            ? FileClaim.Acquire(ClaimFile, FileClaim.ThisProcess, null, Order.Cancellation)
            : FileClaim.TryAcquire(ClaimFile, FileClaim.ThisProcess);
        if (_claim is null)
        {
            return false;
        }

        Work = OpenWork(device);
        return true;
    }

    /// <summary>The lock file of the claim on training this iteration.</summary>
    protected abstract string ClaimFile { get; }

    /// <summary>The work to train, or null when the iteration's training is already there (read it then).</summary>
    protected abstract IterationWork? OpenWork(torch.Device device);

    /// <summary>What <see cref="IterationBundle.Train"/> takes for this iteration (requires <see cref="Work"/>).</summary>
    public abstract IterationBundle.Entry Entry();

    /// <summary>Writes what training made (weights, curves) after training in a bundle of <paramref name="bundle"/>.</summary>
    public abstract void Record(TrainingResult result, int bundle);

    /// <summary>The next mask and the run's summary.json; the outcome <see cref="RunExecutor.RunIteration"/> returns.</summary>
    public abstract IterationOutcome Complete(torch.Device device, ThreadBudget? threads);

    /// <summary>Lets other holders train or read the iteration.</summary>
    protected void ReleaseClaim()
    {
        _claim?.Dispose();
        _claim = null;
    }

    public void Dispose()
    {
        Work?.Dispose();
        Work = null;
        ReleaseClaim();
        GC.SuppressFinalize(this);
    }
}
