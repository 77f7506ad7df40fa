using System.Threading.Channels;
using Grid.Engine.Runs;
using Grid.Engine.Runtime;
using Grid.Grains.Hosting;

namespace Grid.Grains.Training;

/// <summary>
/// The device slots of this silo (<see cref="SlotPlan"/>): each trains on its own device, on its own long-lived thread
/// with its own libtorch thread budget; at most one job per iteration key. A job takes the slot that has been free
/// longest; jobs waiting for a slot are queued. Stopping the silo cancels every job (the iteration is trained again
/// elsewhere).
/// </summary>
public sealed class TrainingWorker : IDisposable
{
    private readonly IIterationTrainer _trainer;
    private readonly ILogger<TrainingWorker> _logger;
    private readonly IReadOnlyList<TrainingSlot> _slotList;
    private readonly Channel<TrainingSlot> _free = Channel.CreateUnbounded<TrainingSlot>();
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Dictionary<string, TrainingJob> _jobs = new(StringComparer.Ordinal);
    private int _busy;
    private int _queued;

    public TrainingWorker(IIterationTrainer trainer, SlotPlan plan, IOptions<GridOptions> options, ILogger<TrainingWorker> logger)
    {
        _trainer = trainer;
        _logger = logger;
        Plan = plan;
        int torchThreads = options.Value.TorchThreads;
        _slotList = [.. plan.SlotDevices.Select((device, index) => new TrainingSlot(index, device,
            options.Value.AdaptiveThreads ? ThreadBudget.ForSlot(plan.Slots, torchThreads) : ThreadBudget.Fixed(FixedShare(plan.Slots, torchThreads))))];
        foreach (var slot in _slotList)
        {
            _free.Writer.TryWrite(slot);
        }
    }

    public SlotPlan Plan { get; }

    public int Slots => _slotList.Count;

    /// <summary>The devices this silo trains on ("cpu", "cuda:0,cuda:1", "none").</summary>
    public string Device => Plan.Summary;

    /// <summary>Every slot, in order (its device and thread budget).</summary>
    public IReadOnlyList<TrainingSlot> SlotList => _slotList;

    public int Busy => Volatile.Read(ref _busy);

    public int Queued => Volatile.Read(ref _queued);

    /// <summary>The running or queued job for the order's key, or a new one. A terminal job is replaced (retry).</summary>
    public TrainingJob Start(TrainingOrder order)
    {
        if (Slots == 0)
        {
            throw new InvalidOperationException("this silo has no device slots (Grid:DeviceSlots = 0)");
        }

        lock (_jobs)
        {
            if (_jobs.TryGetValue(order.Key, out var existing) && !existing.IsTerminal)
            {
                return existing;
            }

            var job = new TrainingJob(order, _shutdown.Token);
            _jobs[order.Key] = job;
            job.Completion = Task.Run(() => RunAsync(job));
            return job;
        }
    }

    /// <summary>Drops a terminal job from the table.</summary>
    public void Forget(TrainingJob job)
    {
        lock (_jobs)
        {
            if (_jobs.TryGetValue(job.Order.Key, out var current) && ReferenceEquals(current, job) && job.IsTerminal)
            {
                _jobs.Remove(job.Order.Key);
            }
        }
    }

    /// <summary>
    /// A job whose grain went away while it trains: it stays in the table, so that the iteration's next activation on
    /// this silo takes it over (<see cref="Start"/>), and leaves it once it has ended.
    /// </summary>
    public void Detach(TrainingJob job) =>
        job.Completion.ContinueWith(_ => Forget(job), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    public int JobCount
    {
        get
        {
            lock (_jobs)
            {
                return _jobs.Count;
            }
        }
    }

    /// <summary>Cancels every job; used when the silo stops.</summary>
    public void CancelAll()
    {
        try
        {
            _shutdown.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        CancelAll();
        _shutdown.Dispose();
        foreach (var slot in _slotList)
        {
            slot.Dispose();
        }
    }

    private static int FixedShare(int slots, int torchThreads) =>
        torchThreads > 0 ? torchThreads : Math.Max(1, Environment.ProcessorCount / Math.Max(1, slots));

    private async Task RunAsync(TrainingJob job)
    {
        var order = job.Order;
        try
        {
            if (_trainer.ReadFinished(order.RunDirectory, order.Iteration) is { } stored)
            {
                job.MarkFinished(stored, trained: false);
                return;
            }

            TrainingSlot slot;
            Interlocked.Increment(ref _queued);
            try
            {
                slot = await _free.Reader.ReadAsync(job.Token).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _queued);
            }

            Interlocked.Increment(ref _busy);
            slot.IsBusy = true;
            try
            {
                if (_trainer.ReadFinished(order.RunDirectory, order.Iteration) is { } finishedMeanwhile)
                {
                    job.MarkFinished(finishedMeanwhile, trained: false);
                    return;
                }

                if (!job.TryMarkTraining())
                {
                    return; // withdrawn while it waited: it is placed again elsewhere
                }

                _logger.LogInformation("Training {Key} on {Device} (slot {Slot})", order.Key, slot.Device, slot.Index);
                job.MarkSlot(slot);
                var outcome = await slot.Run(
                    () => _trainer.Train(order.Spec, order.RunDirectory, order.Iteration, slot, job, job.Token)).ConfigureAwait(false);
                job.MarkFinished(outcome, trained: true);
                _logger.LogInformation("Finished {Key}: best val accuracy {Accuracy:F4}, u {Unpruned:F4}", order.Key, outcome.BestValAccuracy, outcome.UnprunedFraction);
            }
            finally
            {
                slot.IsBusy = false;
                Interlocked.Decrement(ref _busy);
                _free.Writer.TryWrite(slot);
            }
        }
        catch (Exception) when (job.Token.IsCancellationRequested)
        {
            job.MarkCancelled();
            _logger.LogInformation("Cancelled {Key}", order.Key);
        }
        catch (Exception error)
        {
            var failure = Failures.TrainingFailures.Classify(error, order.RunDirectory);
            job.MarkFailed(failure);
            _logger.LogError("Training {Key} failed ({Kind}): {Reason}", order.Key, failure.Kind, failure.Reason);
            _logger.LogDebug(error, "Training {Key} failed", order.Key);
        }
    }
}
