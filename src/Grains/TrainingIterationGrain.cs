using Grid.Engine.Specs;
using Grid.Grains.Hosting;
using Grid.Grains.Placement;
using Grid.Grains.Training;

namespace Grid.Grains;

/// <summary>
/// Trains one iteration of a run. <see cref="Ensure"/> hands the iteration to this silo's <see cref="TrainingWorker"/>
/// (which may train it in a bundle with queued iterations of other runs of the same shape; the grain stays the member's
/// own: its progress, cancellation and placement) and returns at once: training happens on a worker thread, so no grain
/// call ever waits for it (no call timeouts, the scheduler stays free). From then on the grain reports to its run grain
/// (<see cref="IPruningRunGrain.IterationChanged"/>, one way): at once when the job's state changes, otherwise every poll
/// interval from its watch timer (progress, and a sign of life), which also holds the activation while the job runs.
/// Once a terminal state has been reported (pushed, or returned by a call) the activation goes away; asking again reads
/// the finished iteration back from disk (or retrains an iteration that failed or was cancelled), so a report that is
/// lost is found again by the run's next <see cref="Ensure"/>. An iteration that waits for a slot here while another
/// silo has one free is withdrawn and placed again, so no device idles behind a queue.
/// </summary>
[DeviceSlotPlacement]
public sealed class TrainingIterationGrain(
    TrainingWorker worker,
    SlotBoardCache board,
    ILocalSiloDetails silo,
    IOptions<GridOptions> options,
    ILogger<TrainingIterationGrain> logger) : Grain, ITrainingIterationGrain
{
    private TrainingJob? _job;
    private IterationRequest? _request;
    private IGrainTimer? _watch;
    private IterationState? _reportedState;
    private DateTimeOffset _reportedAt;
    private DateTimeOffset? _movingSince;
    private DateTimeOffset? _queuedSince;

    /// <summary>How long an iteration waits for a slot here before it moves to a silo that reports a free one; two
    /// board periods, so that the board has seen the other silo's slot free twice.</summary>
    private static readonly TimeSpan MoveAfter = 2 * SlotBoardPublisher.Period;

    public Task<IterationSnapshot> Ensure(IterationRequest request)
    {
        if (_movingSince is { } since)
        {
            if (DateTimeOffset.UtcNow - since < MoveAfter)
            {
                // Withdrawn and migrating to a silo with a free slot: the run asks again there.
                MigrateOnIdle();
                return Task.FromResult(Snapshot(IterationState.NotStarted));
            }

            _movingSince = null; // the placement found no better silo after all: train here
        }

        if (worker.Slots == 0)
        {
            // Placed here by mistake (e.g. stale slot information): leave so that the next call is placed again.
            DeactivateOnIdle();
            return Task.FromResult(Snapshot(IterationState.NotStarted, error: "this silo has no device slots"));
        }

        _request = request;
        if (_job is null)
        {
            string runDirectory = Path.Combine(options.Value.ResultsPath, request.Run.SweepDirectory, request.Run.RunDirectory);
            ExperimentSpec spec;
            try
            {
                spec = SpecJson.Parse<ExperimentSpec>(request.Run.SpecJson);
            }
            catch (Exception error)
            {
                // Not a reason to call again: the same request fails the same way.
                var failure = Failures.TrainingFailures.Classify(error, runDirectory);
                logger.LogError("Iteration {Key} cannot start ({Kind}): {Reason}", this.GetPrimaryKeyString(), failure.Kind, failure.Reason);
                DeactivateOnIdle();
                return Task.FromResult(Snapshot(IterationState.Failed, failure.Reason) with { Failure = failure.Kind });
            }

            _job = worker.Start(new TrainingOrder(this.GetPrimaryKeyString(), spec, runDirectory, request.Iteration));
            ReportWhenDoneAsync(_job).Ignore();
            _watch ??= this.RegisterGrainTimer(WatchAsync, new GrainTimerCreationOptions
            {
                DueTime = TimeSpan.FromMilliseconds(200),
                Period = TimeSpan.FromMilliseconds(200),
                KeepAlive = true,
                Interleave = false,
            });
        }

        return Task.FromResult(Report());
    }

    public Task<IterationSnapshot> Cancel()
    {
        _job?.Cancel();
        return Task.FromResult(Report());
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_job is { State: IterationState.Training } && reason.ReasonCode == DeactivationReasonCode.DirectoryFailure)
        {
            // Another silo died holding this activation's grain directory entry: nothing is wrong with the training, so
            // it goes on without its grain. The next activation here takes the job over (TrainingWorker.Start); one on
            // another silo waits for the iteration claim and reads the finished iteration back.
            logger.LogWarning("Iteration {Key} lost its grain directory entry while training ({Reason}); it trains on for its next activation",
                this.GetPrimaryKeyString(), reason);
            worker.Detach(_job);
            return Task.CompletedTask;
        }

        if (_job is { IsTerminal: false })
        {
            logger.LogWarning("Iteration {Key} deactivated while {State} ({Reason}); cancelling it", this.GetPrimaryKeyString(), _job.State, reason);
            _job.Cancel();
            if (_request is not null)
            {
                // Its silo is stopping (most likely): the run asks again at once, and the iteration is placed anew.
                RunGrain.IterationChanged(_request, Snapshot(IterationState.Cancelled)).Ignore();
            }
        }

        if (_job is not null)
        {
            worker.Forget(_job);
        }

        return Task.CompletedTask;
    }

    /// <summary>Snapshot for the run (a reply or a report); once a terminal state is delivered, this activation retires.</summary>
    private IterationSnapshot Report()
    {
        var snapshot = Snapshot();
        _reportedState = snapshot.State;
        _reportedAt = DateTimeOffset.UtcNow;
        if (_job is { IsTerminal: true })
        {
            worker.Forget(_job);
            _job = null;
            _watch?.Dispose();
            _watch = null;
            if (_movingSince is null)
            {
                DeactivateOnIdle(); // (a withdrawn iteration migrates instead: MoveIfAnotherSiloIsFree)
            }
        }

        return snapshot;
    }

    private IterationSnapshot Snapshot(IterationState? state = null, string? error = null)
    {
        var job = _job;
        var gathering = job is { State: IterationState.Queued } ? job.Gathering : null;
        return new IterationSnapshot
        {
            State = state ?? job?.State ?? IterationState.NotStarted,
            Silo = silo.SiloAddress.ToParsableString(),
            Progress = job?.Latest?.ToProgress(),
            Result = job?.Outcome?.ToResult(),
            Error = error ?? job?.Error,
            Trained = job?.Trained ?? false,
            Device = job?.Device,
            BundleMembers = job?.BundleMembers ?? 0,
            Gathered = gathering?.Queued ?? 0,
            GatherCapacity = gathering?.Capacity ?? 0,
            Failure = job is { State: IterationState.Failed } ? job.Failure : FailureKind.None,
        };
    }

    /// <summary>Reports to the run grain the moment the job ends (the continuation runs on this activation).</summary>
    private async Task ReportWhenDoneAsync(TrainingJob job)
    {
        await job.Completion;
        if (ReferenceEquals(job, _job))
        {
            ReportIfDue();
        }
    }

    /// <summary>Keeps the activation alive while the job runs, and reports to the run grain when due.</summary>
    private Task WatchAsync(CancellationToken cancellationToken)
    {
        MoveIfAnotherSiloIsFree();
        ReportIfDue();
        return Task.CompletedTask;
    }

    private void MoveIfAnotherSiloIsFree()
    {
        var now = DateTimeOffset.UtcNow;
        // Gathering (a slot here is free, the worker waits for more members of its bundle): it does not wait for a slot,
        // and moving it would split the bundle (or chase it from silo to silo).
        if (_job is not { State: IterationState.Queued, Gathering: null })
        {
            _queuedSince = null;
            return;
        }

        _queuedSince ??= now;
        if (now - _queuedSince < MoveAfter)
        {
            return;
        }

        string here = silo.SiloAddress.ToParsableString();
        bool freeElsewhere = board.All().Any(s => s.Silo != here
            && now - s.UpdatedAt < 2 * SlotBoardPublisher.Period
            && s.Slots - board.QueueOf(s.Silo, s.Slots, now).Jobs > 0);
        if (freeElsewhere && _job.TryWithdraw())
        {
            logger.LogInformation("Iteration {Key} waited {Seconds:F0} s for a slot; moving it to a silo with a free one", this.GetPrimaryKeyString(), (now - _queuedSince.Value).TotalSeconds);
            _movingSince = now;
            MigrateOnIdle(); // Orleans re-places the activation through DeviceSlotPlacementDirector and redirects callers
        }
    }

    /// <summary>Tells the run grain the job's snapshot (one way): at once when its state changed since the run last heard
    /// of it, otherwise once every poll interval (its progress, and a sign of life: a run that hears nothing asks again).</summary>
    private void ReportIfDue()
    {
        if (_job is null || _request is null
            || (_job.State == _reportedState && DateTimeOffset.UtcNow - _reportedAt < options.Value.PollInterval))
        {
            return;
        }

        RunGrain.IterationChanged(_request, Report()).Ignore();
    }

    private IPruningRunGrain RunGrain => GrainFactory.GetGrain<IPruningRunGrain>(_request!.Run.GrainKey);
}
