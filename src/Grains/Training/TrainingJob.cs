using Grid.Engine.Runs;

namespace Grid.Grains.Training;

/// <summary>
/// One iteration queued or training on this silo, alone or as a member of a bundle: its state, progress, cancellation
/// and outcome are its own either way. Thread-safe: written by the worker, read by the grain.
/// </summary>
public sealed class TrainingJob : IProgress<TrainingProgress>
{
    private readonly CancellationTokenSource _cancellation;
    private volatile TrainingProgress? _latest;
    private volatile IterationOutcome? _outcome;
    private volatile string? _error;
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _state = (int)IterationState.Queued;

    internal TrainingJob(TrainingOrder order, CancellationToken shutdown)
    {
        Order = order;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
    }

    public TrainingOrder Order { get; }

    /// <summary>Completes when the job reached a terminal state; never faults.</summary>
    public Task Completion => _ended.Task;

    public IterationState State => (IterationState)Volatile.Read(ref _state);

    public bool IsTerminal => State is IterationState.Finished or IterationState.Failed or IterationState.Cancelled;

    /// <summary>True when this job trained the iteration, false when it found it finished on disk.</summary>
    public bool Trained { get; private set; }

    public IterationOutcome? Outcome => _outcome;

    public string? Error => _error;

    public TrainingProgress? Latest => _latest;

    /// <summary>The device of the slot that trains the job, once it has one.</summary>
    public string? Device { get; private set; }

    /// <summary>How many iterations train in the job's bundle (1 alone), once a slot took it; 0 before.</summary>
    public int BundleMembers { get; private set; }

    private BundleGathering? _gathering;

    /// <summary>While the job is queued and its key waits for more members (the gather window): how many of the key are
    /// queued and how many its bundles could take; null otherwise.</summary>
    public BundleGathering? Gathering { get => Volatile.Read(ref _gathering); internal set => Volatile.Write(ref _gathering, value); }

    /// <summary>Jobs with equal keys may share a bundle (<see cref="IIterationTrainer.BundleKey"/>); set before it queues.</summary>
    internal string BundleKey { get; set; } = "";

    /// <summary>The most members of a bundle with this job, per slot index; set before it queues.</summary>
    internal IReadOnlyList<int> MembersPerSlot { get; set; } = [];

    /// <summary>When the job joined the queue (<see cref="TimeProvider"/> timestamp): its gather window starts here.</summary>
    internal long QueuedAt { get; set; }

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
        _ended.TrySetResult();
    }

    internal void MarkSlot(TrainingSlot slot, int bundleMembers)
    {
        BundleMembers = bundleMembers;
        Device = slot.Device;
    }

    internal void MarkCancelled()
    {
        Volatile.Write(ref _state, (int)IterationState.Cancelled);
        _ended.TrySetResult();
    }

    internal void MarkFailed(Failures.TrainingFailure failure)
    {
        _error = failure.Reason;
        Failure = failure.Kind;
        Volatile.Write(ref _state, (int)IterationState.Failed);
        _ended.TrySetResult();
    }

    /// <summary>What kind of failure <see cref="Error"/> is (set before the state turns Failed).</summary>
    public FailureKind Failure { get; private set; }
}
