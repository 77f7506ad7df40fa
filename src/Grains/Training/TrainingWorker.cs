using Grid.Engine.Runs;
using Grid.Engine.Runtime;
using Grid.Engine.Specs;
using Grid.Grains.Hosting;

namespace Grid.Grains.Training;

/// <summary>
/// The device slots of this silo (<see cref="SlotPlan"/>): each trains on its own device, on its own long-lived thread
/// with its own libtorch thread budget; at most one job per iteration key. Jobs wait in one queue; a dispatcher loop
/// hands them to free slots (the one freed last first) as bundles that <see cref="BundlePlanner"/> forms: queued
/// iterations whose trainer says they may train together (<see cref="IIterationTrainer.BundleKey"/>), trained as one
/// job by the slot. Each member keeps its own state, progress, cancellation and outcome. Stopping the silo cancels
/// every job (the iteration is trained again elsewhere).
/// </summary>
public sealed class TrainingWorker : IDisposable
{
    private readonly IIterationTrainer _trainer;
    private readonly ILogger<TrainingWorker> _logger;
    private readonly IReadOnlyList<TrainingSlot> _slotList;
    private readonly int _maxBundle;
    private readonly long _gatherMilliseconds;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Dictionary<string, TrainingJob> _jobs = new(StringComparer.Ordinal);
    private readonly Lock _lock = new(); // guards _queue, _free and _seen
    private readonly List<TrainingJob> _queue = [];
    private readonly Dictionary<string, (int Members, long At)> _seen = new(StringComparer.Ordinal); // guarded by _lock
    private readonly List<TrainingSlot> _free = [];
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Task _dispatcher;
    private int _busy;
    private int _queued;

    public TrainingWorker(IIterationTrainer trainer, SlotPlan plan, IOptions<GridOptions> options, ILogger<TrainingWorker> logger)
    {
        _trainer = trainer;
        _logger = logger;
        Plan = plan;
        int torchThreads = options.Value.TorchThreads;
        _maxBundle = Math.Max(1, options.Value.MaxBundle);
        _gatherMilliseconds = Math.Max(0, options.Value.BundleGatherMilliseconds);
        // CPU slots share the cores (an idle slot's cores go to the busy ones) unless the thread counts are fixed.
        var cpuShare = options.Value.AdaptiveThreads && torchThreads == 0 ? new CoreShare(Environment.ProcessorCount) : null;
        _slotList = [.. plan.SlotDevices.Select((device, index) => device == Devices.Cpu && cpuShare is not null
            ? new TrainingSlot(index, device, ThreadBudget.ForSharedSlot(cpuShare), cpuShare)
            : new TrainingSlot(index, device,
                options.Value.AdaptiveThreads ? ThreadBudget.ForSlot(plan.Slots, torchThreads) : ThreadBudget.Fixed(FixedShare(plan.Slots, torchThreads))))];
        foreach (var slot in _slotList)
        {
            slot.Threads.Trials = options.Value.ThreadTrials;
        }

        _free.AddRange(_slotList);
        _dispatcher = _slotList.Count > 0 ? Task.Run(DispatchAsync) : Task.CompletedTask;
    }

    public SlotPlan Plan { get; }

    public int Slots => _slotList.Count;

    /// <summary>The devices this silo trains on ("cpu", "cuda:0,cuda:1", "none").</summary>
    public string Device => Plan.Summary;

    /// <summary>Every slot, in order (its device and thread budget).</summary>
    public IReadOnlyList<TrainingSlot> SlotList => _slotList;

    /// <summary>Slots training now (a bundle takes one slot).</summary>
    public int Busy => Volatile.Read(ref _busy);

    /// <summary>Jobs waiting for a slot.</summary>
    public int Queued => Volatile.Read(ref _queued);

    /// <summary>
    /// The queued iterations by bundle key, each with the most members one bundle of it may have here; and, with a count
    /// of 0, the keys that may bundle here and queued within <see cref="ShapeMemory"/>, so that placement knows their
    /// bundles' size when a sweep's runs ask for their next iterations at once (for <c>training.bundle: auto</c> only a
    /// silo that trains the shape can tell it).
    /// </summary>
    public IReadOnlyList<QueuedShape> ShapesToReport()
    {
        long now = Environment.TickCount64;
        lock (_lock)
        {
            var queued = _queue.GroupBy(j => j.BundleKey, StringComparer.Ordinal).Select(g => new QueuedShape
            {
                Key = g.Key,
                Count = g.Count(),
                Members = MembersHere(g.First()),
            }).ToList();
            foreach (var stale in _seen.Where(s => now - s.Value.At > ShapeMemory.TotalMilliseconds).Select(s => s.Key).ToList())
            {
                _seen.Remove(stale);
            }

            return [.. queued, .. _seen.Where(s => s.Value.Members > 1 && queued.All(q => q.Key != s.Key))
                .Select(s => new QueuedShape { Key = s.Key, Count = 0, Members = s.Value.Members })];
        }
    }

    /// <summary>How long a silo keeps reporting a shape it no longer queues.</summary>
    public static readonly TimeSpan ShapeMemory = TimeSpan.FromMinutes(10);

    private int MembersHere(TrainingJob job) => MostMembers(job.MembersPerSlot);

    /// <summary>The trainer's bundle key of the spec: iterations with equal keys may train together.</summary>
    public string BundleKey(ExperimentSpec spec) => _trainer.BundleKey(spec);

    /// <summary>The most members one bundle of the spec's shape may have on this silo's slots (its cost model, measuring
    /// once per shape if it must); 0 when the silo has no slots.</summary>
    public int BundleMembers(ExperimentSpec spec) => Slots == 0 ? 0 : MostMembers(_slotList.Select(slot => _trainer.BundleMembers(spec, slot)));

    /// <summary>The largest bundle the slots allow, within Grid:MaxBundle; at least 1.</summary>
    private int MostMembers(IEnumerable<int> membersPerSlot) => Math.Clamp(membersPerSlot.DefaultIfEmpty(1).Max(), 1, _maxBundle);

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
            Task.Run(() => Admit(job));
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

    /// <summary>The keys of the iterations this silo holds and has not ended.</summary>
    public IReadOnlyList<string> HeldIterations()
    {
        lock (_jobs)
        {
            return [.. _jobs.Where(j => !j.Value.IsTerminal).Select(j => j.Key)];
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
        _dispatcher.Wait(WorkerThreads.StopBound);
        foreach (var slot in _slotList)
        {
            slot.Dispose();
        }

        _shutdown.Dispose();
    }

    private static int FixedShare(int slots, int torchThreads) =>
        torchThreads > 0 ? torchThreads : Math.Max(1, Environment.ProcessorCount / Math.Max(1, slots));

    /// <summary>Reads a finished iteration back, or asks the trainer how the job may bundle and queues it.</summary>
    private void Admit(TrainingJob job)
    {
        var order = job.Order;
        try
        {
            if (_trainer.ReadFinished(order.RunDirectory, order.Iteration) is { } stored)
            {
                job.MarkFinished(stored, trained: false);
                return;
            }

            job.BundleKey = _trainer.BundleKey(order.Spec);
            job.MembersPerSlot = [.. _slotList.Select(slot => _trainer.BundleMembers(order.Spec, slot))];
        }
        catch (Exception error)
        {
            Fail(job, error);
            return;
        }

        lock (_lock)
        {
            job.QueuedAt = Environment.TickCount64;
            _seen[job.BundleKey] = (MembersHere(job), job.QueuedAt);
            _queue.Add(job);
            Volatile.Write(ref _queued, _queue.Count);
        }

        // Cancelled while queued (its run, its grain, a withdrawal, the silo stopping): it leaves the queue at once.
        job.Token.Register(() => LeaveQueue(job));
        Signal();
    }

    private void LeaveQueue(TrainingJob job)
    {
        bool removed;
        lock (_lock)
        {
            removed = _queue.Remove(job);
            Volatile.Write(ref _queued, _queue.Count);
        }

        if (removed)
        {
            Cancelled(job);
        }
    }

    private void Signal()
    {
        if (_wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }

    private async Task DispatchAsync()
    {
        var stop = _shutdown.Token;
        while (!stop.IsCancellationRequested)
        {
            var bundles = new List<(TrainingSlot Slot, List<TrainingJob> Jobs)>();
            long? wakeAt = null;
            try
            {
                wakeAt = TakeBundles(bundles);
            }
            catch (Exception error)
            {
                _logger.LogError(error, "Could not form bundles; trying again when the queue or the slots change");
            }

            foreach (var (slot, jobs) in bundles)
            {
                _ = Task.Run(() => TrainAsync(slot, jobs));
            }

            long wait = wakeAt is { } at ? Math.Max(1, at - Environment.TickCount64) : Timeout.Infinite;
            try
            {
                await _wake.WaitAsync(TimeSpan.FromMilliseconds(wait), stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>Takes the bundles to start now from the queue (their slots turn busy); returns when to plan again.</summary>
    private long? TakeBundles(List<(TrainingSlot Slot, List<TrainingJob> Jobs)> bundles)
    {
        lock (_lock)
        {
            var plan = BundlePlanner.Plan(
                [.. _queue.Select(j => new QueuedIteration(j.BundleKey, j.MembersPerSlot, j.QueuedAt))],
                [.. _free.Select(s => s.Index)],
                _maxBundle, _gatherMilliseconds, Environment.TickCount64);
            foreach (var planned in plan.Bundles)
            {
                var slot = _slotList[planned.Slot];
                var members = planned.Members.Select(i => _queue[i]).ToList();
                _free.Remove(slot);
                slot.IsBusy = true;
                Interlocked.Increment(ref _busy);
                bundles.Add((slot, members));
            }

            var taken = bundles.SelectMany(b => b.Jobs).ToHashSet();
            foreach (var job in taken)
            {
                job.Gathering = null;
            }

            _queue.RemoveAll(taken.Contains);
            var gathering = plan.Gathering.ToDictionary(g => g.Key, StringComparer.Ordinal);
            foreach (var job in _queue)
            {
                job.Gathering = gathering.GetValueOrDefault(job.BundleKey);
            }

            Volatile.Write(ref _queued, _queue.Count);
            return plan.WakeAt;
        }
    }

    /// <summary>Trains one bundle on its slot, then frees the slot.</summary>
    private async Task TrainAsync(TrainingSlot slot, List<TrainingJob> jobs)
    {
        try
        {
            var members = new List<TrainingJob>();
            foreach (var job in jobs)
            {
                if (Ready(job))
                {
                    members.Add(job);
                }
            }

            if (members.Count == 0)
            {
                return;
            }

            members.ForEach(job => job.MarkSlot(slot, members.Count));
            if (members.Count == 1)
            {
                _logger.LogInformation("Training {Key} on {Device} (slot {Slot})", members[0].Order.Key, slot.Device, slot.Index);
            }
            else
            {
                _logger.LogInformation("Training {Count} iterations as one bundle on {Device} (slot {Slot}): {Keys}",
                    members.Count, slot.Device, slot.Index, string.Join(", ", members.Select(j => j.Order.Key)));
            }

            var orders = members.Select(job => new IterationOrder(job.Order.Spec, job.Order.RunDirectory, job.Order.Iteration, job, job.Token)).ToList();
            IReadOnlyList<IterationAttempt> attempts;
            try
            {
                attempts = await slot.Run(() => _trainer.TrainBundle(orders, slot)).ConfigureAwait(false);
                if (attempts.Count != orders.Count)
                {
                    throw new InvalidOperationException($"the trainer returned {attempts.Count} results for a bundle of {orders.Count}");
                }
            }
            catch (Exception error)
            {
                attempts = [.. orders.Select(_ => new IterationAttempt(null, error))];
            }

            for (int i = 0; i < members.Count; i++)
            {
                End(members[i], attempts[i]);
            }
        }
        finally
        {
            foreach (var job in jobs.Where(j => !j.IsTerminal))
            {
                Cancelled(job); // not reached unless a job was left out by a bug: never leave a grain waiting
            }

            lock (_lock)
            {
                slot.IsBusy = false;
                Interlocked.Decrement(ref _busy);
                _free.Insert(0, slot); // the slot freed last goes first: its thread and core are warm (a lone run keeps them)
            }

            Signal();
        }
    }

    /// <summary>A job taken from the queue that still needs training: not withdrawn, cancelled or finished meanwhile.</summary>
    private bool Ready(TrainingJob job)
    {
        if (!job.TryMarkTraining())
        {
            Cancelled(job); // withdrawn while it waited: it is placed again elsewhere
            return false;
        }

        if (job.Token.IsCancellationRequested)
        {
            Cancelled(job);
            return false;
        }

        try
        {
            if (_trainer.ReadFinished(job.Order.RunDirectory, job.Order.Iteration) is { } finishedMeanwhile)
            {
                job.MarkFinished(finishedMeanwhile, trained: false);
                return false;
            }
        }
        catch (Exception error)
        {
            Fail(job, error);
            return false;
        }

        return true;
    }

    private void End(TrainingJob job, IterationAttempt attempt)
    {
        if (attempt.Outcome is { } outcome)
        {
            job.MarkFinished(outcome, trained: true);
            _logger.LogInformation("Finished {Key}: best val accuracy {Accuracy:F4}, u {Unpruned:F4}", job.Order.Key, outcome.BestValAccuracy, outcome.UnprunedFraction);
        }
        else if (job.Token.IsCancellationRequested)
        {
            Cancelled(job);
        }
        else
        {
            Fail(job, attempt.Failure ?? new InvalidOperationException("the trainer returned neither an outcome nor a failure"));
        }
    }

    private void Cancelled(TrainingJob job)
    {
        job.MarkCancelled();
        _logger.LogInformation("Cancelled {Key}", job.Order.Key);
    }

    private void Fail(TrainingJob job, Exception error)
    {
        var failure = Failures.TrainingFailures.Classify(error, job.Order.RunDirectory);
        job.MarkFailed(failure);
        _logger.LogError("Training {Key} failed ({Kind}): {Reason}", job.Order.Key, failure.Kind, failure.Reason);
        _logger.LogDebug(error, "Training {Key} failed", job.Order.Key);
    }
}
