using Grid.Engine.Runs;
using Grid.Grains.Hosting;

namespace Grid.Grains.Training;

/// <summary>
/// The device slots of this silo: a semaphore of <see cref="GridOptions.DeviceSlots"/> permits, training on the slots'
/// own long-lived threads (<see cref="SlotThreads"/>), at most one job per iteration key.
/// Jobs waiting for a slot are queued. Stopping the silo cancels every job (the iteration is trained again elsewhere).
/// </summary>
public sealed class TrainingWorker : IDisposable
{
    private readonly IIterationTrainer _trainer;
    private readonly ILogger<TrainingWorker> _logger;
    private readonly SemaphoreSlim _slots;
    private readonly SlotThreads _threads;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Dictionary<string, TrainingJob> _jobs = new(StringComparer.Ordinal);
    private int _busy;
    private int _queued;

    public TrainingWorker(IIterationTrainer trainer, IOptions<GridOptions> options, ILogger<TrainingWorker> logger)
    {
        _trainer = trainer;
        _logger = logger;
        Slots = Math.Max(0, options.Value.DeviceSlots);
        Device = options.Value.Device;
        _slots = new SemaphoreSlim(Slots, Math.Max(1, Slots));
        _threads = new SlotThreads(Slots, "grid-train slot");
    }

    public int Slots { get; }

    public string Device { get; }

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
        _threads.Dispose();
    }

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

            Interlocked.Increment(ref _queued);
            try
            {
                await _slots.WaitAsync(job.Token).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _queued);
            }

            Interlocked.Increment(ref _busy);
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

                _logger.LogInformation("Training {Key} on {Device}", order.Key, Device);
                var outcome = await _threads.Run(
                    () => _trainer.Train(order.Spec, order.RunDirectory, order.Iteration, job, job.Token)).ConfigureAwait(false);
                job.MarkFinished(outcome, trained: true);
                _logger.LogInformation("Finished {Key}: best val accuracy {Accuracy:F4}, u {Unpruned:F4}", order.Key, outcome.BestValAccuracy, outcome.UnprunedFraction);
            }
            finally
            {
                Interlocked.Decrement(ref _busy);
                _slots.Release();
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
