using Grid.Engine.Runs;

namespace Grid.Grains.Training;

/// <summary>One iteration queued or training on this silo. Thread-safe: written by the worker, read by the grain.</summary>
public sealed class TrainingJob : IProgress<TrainingProgress>
{
    private readonly CancellationTokenSource _cancellation;
    private volatile TrainingProgress? _latest;
    private volatile IterationOutcome? _outcome;
    private volatile string? _error;
    private int _state = (int)IterationState.Queued;

    internal TrainingJob(TrainingOrder order, CancellationToken shutdown)
    {
        Order = order;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
    }

    public TrainingOrder Order { get; }

    /// <summary>Completes when the job reached a terminal state; never faults.</summary>
    public Task Completion { get; internal set; } = Task.CompletedTask;

    public IterationState State => (IterationState)Volatile.Read(ref _state);

    public bool IsTerminal => State is IterationState.Finished or IterationState.Failed or IterationState.Cancelled;

    /// <summary>True when this job trained the iteration, false when it found it finished on disk.</summary>
    public bool Trained { get; private set; }

    public IterationOutcome? Outcome => _outcome;

    public string? Error => _error;

    public TrainingProgress? Latest => _latest;

    /// <summary>The device of the slot that trains the job, once it has one.</summary>
    public string? Device { get; private set; }

    internal CancellationToken Token => _cancellation.Token;

    public void Report(TrainingProgress value) => _latest = value;

    public void Cancel()
    {
        try
        {
            _cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Cancels the job only while it still waits for a slot (so it can be placed on a silo with a free one);
    /// false once it has started training.</summary>
    public bool TryWithdraw()
    {
        if (Interlocked.CompareExchange(ref _state, (int)IterationState.Cancelled, (int)IterationState.Queued) != (int)IterationState.Queued)
        {
            return false;
        }

        Cancel();
        return true;
    }

    /// <summary>Queued → training; false when the job was withdrawn meanwhile.</summary>
    internal bool TryMarkTraining() =>
        Interlocked.CompareExchange(ref _state, (int)IterationState.Training, (int)IterationState.Queued) == (int)IterationState.Queued;

    internal void MarkFinished(IterationOutcome outcome, bool trained)
    {
        Trained = trained;
        _outcome = outcome;
        Volatile.Write(ref _state, (int)IterationState.Finished);
    }

    internal void MarkSlot(TrainingSlot slot) => Device = slot.Device;

    internal void MarkCancelled() => Volatile.Write(ref _state, (int)IterationState.Cancelled);

    internal void MarkFailed(Failures.TrainingFailure failure)
    {
        _error = failure.Reason;
        Failure = failure.Kind;
        Volatile.Write(ref _state, (int)IterationState.Failed);
    }

    /// <summary>What kind of failure <see cref="Error"/> is (set before the state turns Failed).</summary>
    public FailureKind Failure { get; private set; }
}
