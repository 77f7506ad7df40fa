using Grid.Engine.Specs;
using Grid.Grains.Failures;
using Grid.Grains.Hosting;
using Grid.Grains.Placement;
using Grid.Grains.Sweeps;
using Grid.Grains.Training;
using Orleans.Placement;

namespace Grid.Grains;

/// <summary>
/// Drives one pruning run, whatever its method (IMP, one-shot, SNIP, SynFlow, random, progressive): iteration n+1
/// starts only after iteration n finished. Each state change travels one way: the run commands its current iteration
/// grain (<see cref="ITrainingIterationGrain.Ensure"/>, whose call returns at once with the iteration's state), and the
/// iteration reports its state changes and progress back (<see cref="IterationChanged"/>); a report and the answer to
/// Ensure are applied alike. The run asks again only when it has not heard from its iteration for
/// <see cref="GridOptions.ReportSilence"/> (its silo died, its grain went away): the next Ensure reaches a new
/// activation on a silo with device slots, which starts the iteration again from the results store (or reads it back
/// finished). Finished iterations are read back from disk when the run (re)starts, so nothing finished is ever trained
/// twice; they are verified against the checksums they recorded, and those that do not verify are set aside and trained
/// again. The analyses of every finished iteration are requested from analysis grains; the run is finished when they are
/// done too. A timer (every Grid:PollMilliseconds) checks on the iteration's silence, retries and analyses.
/// The run reports to its sweep's coordinator the same way (<see cref="ISweepGrain.RunChanged"/>, one way): at once when
/// what the coordinator shows of it changed (<see cref="Shown"/>), otherwise every poll interval while it is driven, from a
/// second timer that keeps reporting while the first waits out a backoff.
/// A failed iteration ends the run at once when the failure is permanent (it would recur); a transient one is retried
/// with backoff, at most Grid:RetryLimit times; an unreachable iteration is asked again with backoff for at most
/// Grid:UnreachableSeconds. A failed run records why in its directory and stays failed until its sweep is submitted
/// again (<see cref="Restart"/>).
/// A run grain lives on the silo of the coordinator that drives it (local placement), so that one placement director,
/// with one view of the slot board, places the iterations that a sweep's runs ask for together, and sends those that can
/// share a bundle to one silo (<see cref="BundleAffinity"/>).
/// </summary>
[PreferLocalPlacement]
public sealed class PruningRunGrain(IOptions<GridOptions> options, TrainingWorker worker, ILogger<PruningRunGrain> logger) : Grain, IPruningRunGrain
{
    /// <summary>Iterations whose analyses are requested at the same time.</summary>
    private const int AnalysisWindow = 2;

    /// <summary>Longest wait between two tries to reach an unreachable iteration.</summary>
    private static readonly TimeSpan UnreachablePollCap = TimeSpan.FromSeconds(5);

    private readonly List<IterationResult> _finished = [];
    private readonly HashSet<int> _analysed = [];

    /// <summary>Iterations whose report-only analyses (<see cref="RunRequest.ReportedAnalysis"/>) are done.</summary>
    private readonly HashSet<int> _reported = [];
    private readonly List<string> _analysisErrors = [];

    /// <summary>What the run last heard of each iteration's analysis grain (an answer or a report), and when.</summary>
    private readonly Dictionary<int, (AnalysisSnapshot Snapshot, DateTimeOffset At)> _analysesHeard = [];
    private readonly List<string> _warnings = [];
    private RunRequest? _request;
    private RunState _state = RunState.Pending;
    /// <summary>What the run last heard of its current iteration (null: nothing yet, ask it).</summary>
    private IterationSnapshot? _current;
    private DateTimeOffset _heardAt;
    private string? _error;
    private IGrainTimer? _timer;

    /// <summary>Reports the run's status to its coordinator every poll interval while it is driven.</summary>
    private IGrainTimer? _reporting;

    /// <summary>Stamps every status this activation gives out, so that its coordinator can order them.</summary>
    private readonly Guid _activation = Guid.NewGuid();
    private long _sequence;

    /// <summary><see cref="Shown"/> as the coordinator last heard it (in an answer or a report).</summary>
    private (RunState, int, IterationState?, int, bool)? _told;
    private bool _loaded;
    private bool _trained;
    private bool _cancelRequested;
    private bool _clearFailure;
    private int _generation;
    private int _attempts;
    private DateTimeOffset _retryAt;
    private DateTimeOffset? _unreachableSince;
    private int _unreachablePolls;

    /// <summary>Carried by the calls that place this run's iterations (null when the spec does not parse: the iteration
    /// grain reports that); started when the run starts, since a run's spec never changes, and awaited before the first
    /// iteration is asked for (for <c>auto</c>, this silo's cost model may measure first).</summary>
    private Task<BundleAffinity?>? _affinity;

    public Task<RunStatus> Ensure(RunRequest request)
    {
        Drive(request);
        return Task.FromResult(Status());
    }

    /// <summary>Starts driving the run if this activation has not started it yet (or has finished it and the analysis
    /// list changed).</summary>
    private void Drive(RunRequest request)
    {
        bool analysesChanged = AdoptAnalyses(request);
        _request ??= request;
        if (_timer is null && (_state == RunState.Pending || (analysesChanged && _state == RunState.Finished)))
        {
            StartDriving(); // a new activation (e.g. after its silo died): carry on from the results store
        }
    }

    /// <summary>
    /// The sweep's analysis list may change when it is submitted again: the run takes the new list and requests its
    /// analyses of every finished iteration again (done ones are reused), even when it had finished. True when it changed.
    /// </summary>
    private bool AdoptAnalyses(RunRequest request)
    {
        if (_request is null
            || (_request.Analysis.SequenceEqual(request.Analysis, StringComparer.Ordinal)
                && _request.ReportedAnalysis.SequenceEqual(request.ReportedAnalysis, StringComparer.Ordinal)))
        {
            return false;
        }

        _request = _request with { Analysis = request.Analysis, ReportedAnalysis = request.ReportedAnalysis };
        _analysed.Clear();
        _reported.Clear();
        _analysesHeard.Clear();
        _analysisErrors.Clear();
        return true;
    }

    public Task<RunStatus> Restart(RunRequest request)
    {
        AdoptAnalyses(request); // (a run being driven takes a changed analysis list, as Ensure does)
        if (_timer is null)
        {
            // Not being driven (new, finished, failed or cancelled): start again from the results store, verifying it.
            _request = request;
            _clearFailure = true;
            StartDriving();
        }

        return Task.FromResult(Status());
    }

    private void StartDriving()
    {
        _affinity ??= AffinityOf(_request!);
        _state = RunState.Pending;
        _error = null;
        _cancelRequested = false;
        _loaded = false;
        _current = null;
        _attempts = 0;
        _retryAt = default;
        _unreachableSince = null;
        _unreachablePolls = 0;
        _timer = this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions
        {
            DueTime = TimeSpan.Zero,
            Period = options.Value.PollInterval,
            KeepAlive = true,
            Interleave = false,
        });
        _reporting ??= this.RegisterGrainTimer(() =>
        {
            TellCoordinator();
            return Task.CompletedTask;
        }, new GrainTimerCreationOptions
        {
            DueTime = options.Value.PollInterval,
            Period = options.Value.PollInterval,
            KeepAlive = true,
            Interleave = false,
        });
    }

    public async Task<RunStatus> Cancel()
    {
        _cancelRequested = true;
        StopTimers();
        bool finished = _state == RunState.Finished;
        if (!finished)
        {
            _state = RunState.Cancelled;
        }

        if (_request is not null && _loaded && !_trained)
        {
            try
            {
                _current = await IterationGrain(_finished.Count).Cancel();
            }
            catch (Exception error)
            {
                logger.LogWarning(error, "Could not cancel the current iteration of {Run}", _request.RunHash);
            }
        }

        return Status();
    }

    public async Task IterationChanged(IterationRequest request, IterationSnapshot snapshot)
    {
        if (_request is null)
        {
            // Woken: lost with its silo. The first tick reads the results store (and checks that the sweep was not
            // cancelled), then asks for the iteration it is at; its reports wake a coordinator lost too.
            Drive(request.Run);
            return;
        }

        if (_timer is null || _cancelRequested || !_loaded || _trained
            || request.Iteration != _finished.Count || request.Generation != _generation)
        {
            return; // stale: the run is not driving, or the report is of another iteration or an older generation
        }

        bool finished = await ApplyAsync(request.Iteration, snapshot);
        if (finished || snapshot.State is not (IterationState.Queued or IterationState.Training))
        {
            // Starts the next iteration now rather than at the next tick, so no device slot idles between iterations
            // (or asks again at once an iteration that its silo cancelled).
            await TickAsync(CancellationToken.None);
        }

        TellCoordinatorIfChanged();
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        await AdvanceAsync();
        TellCoordinatorIfChanged();
    }

    /// <summary>Reads the results store if needed, asks for the iteration the run is at, requests analyses, and ends the
    /// run when all is done.</summary>
    private async Task AdvanceAsync()
    {
        if (_request is null || _cancelRequested)
        {
            return;
        }

        if (!_loaded && (DateTimeOffset.UtcNow < _retryAt || !await LoadAsync(_request)))
        {
            return;
        }

        // An iteration that just finished is followed at once by a request for the next one.
        while (!_trained && !_cancelRequested && _state != RunState.Failed && _loaded)
        {
            if (!await AskIterationAsync(_request))
            {
                break;
            }
        }

        if (_cancelRequested || _state == RunState.Failed || !_loaded)
        {
            return; // (not loaded: the store is verified again before anything else is asked for)
        }

        await RequestAnalysesAsync(_request);
        if (_trained)
        {
            if (PendingAnalyses == 0)
            {
                Complete(RunState.Finished);
            }
            else
            {
                _state = RunState.Analysing;
            }
        }
    }

    public async Task AnalysisChanged(AnalysisRequest request, AnalysisSnapshot snapshot)
    {
        if (_request is null)
        {
            Drive(request.Run); // woken: lost with its silo
            return;
        }

        if (_timer is null || _cancelRequested || !_loaded || request.Generation != _generation)
        {
            return; // stale: the run is not driving, or the report is of an older generation's analyses
        }

        _analysesHeard[request.Iteration] = (snapshot, DateTimeOffset.UtcNow);
        if (!snapshot.Running)
        {
            await TickAsync(CancellationToken.None); // collects them now, and asks for what is left (and tells the coordinator)
        }
    }

    /// <summary>Reads (and verifies) what the results store has; false when the sweep turned out to be cancelled, the
    /// run has a recorded failure, or the store could not be read.</summary>
    private async Task<bool> LoadAsync(RunRequest request)
    {
        if (await RunDisk.SweepCancelledAsync(options.Value, request))
        {
            _cancelRequested = true;
            _state = RunState.Cancelled;
            StopTimers();
            return false;
        }

        RunLoad load;
        try
        {
            load = await RunDisk.LoadAsync(options.Value, request, _clearFailure);
        }
        catch (Exception error)
        {
            // The store is unreadable for now (a volume away, permissions): retried with backoff, then the run fails.
            await OnIterationFailedAsync(_finished.Count, FailureKind.Transient, $"cannot read the results store: {error.GetType().Name}: {error.Message}");
            return false;
        }

        _clearFailure = false;
        _finished.Clear();
        _finished.AddRange(load.Finished.Select(o => o.ToResult()));
        if (load.Failure is { } failure)
        {
            _error = failure.Describe();
            Complete(RunState.Failed);
            return false;
        }

        if (load.SetAside is { } setAside)
        {
            string warning = $"run {request.RunIndex}: {setAside.Describe()}";
            _warnings.Add(warning);
            logger.LogWarning("Run {Run}: {Warning}", request.RunHash, setAside.Describe());
        }

        if (load.Generation != _generation)
        {
            // Iterations were set aside with their analyses: every analysis is asked for again (of new grains).
            _generation = load.Generation;
            _analysed.Clear();
            _reported.Clear();
            _analysesHeard.Clear();
            _analysisErrors.Clear();
        }

        _trained = _finished is [.., { IsLast: true }];
        _current = null; // the iteration it is at may have changed: asked at once
        _loaded = true;
        return true;
    }

    /// <summary>Tells the current iteration grain to train, unless it is queued or training and was heard from within
    /// <see cref="GridOptions.ReportSilence"/>; true when that iteration has just finished.</summary>
    private async Task<bool> AskIterationAsync(RunRequest run)
    {
        var now = DateTimeOffset.UtcNow;
        if (now < _retryAt)
        {
            return false; // backing off after a failure
        }

        if (_current is { State: IterationState.Queued or IterationState.Training } && now - _heardAt < options.Value.ReportSilence)
        {
            return false; // it reports by itself
        }

        var request = new IterationRequest { Run = run, Iteration = _finished.Count, Generation = _generation };
        IterationSnapshot snapshot;
        try
        {
            using var placement = (_affinity is { } affinity ? await affinity : null)?.Apply();
            snapshot = await IterationGrain(request.Iteration).Ensure(request);
        }
        catch (Exception error) when (!_cancelRequested)
        {
            // The silo of the iteration died, no silo has device slots yet, ...: ask again, backing off, for a while.
            await OnUnreachableAsync(request.Iteration, error);
            return false;
        }

        return !_cancelRequested && await ApplyAsync(request.Iteration, snapshot);
    }

    /// <summary>The run's bundle key, for placement to send its iterations where iterations of that key wait; for
    /// <c>training.bundle: auto</c> with this silo's estimate of its bundles' members, which its cost model may have to
    /// measure first (so off the grain's scheduler).</summary>
    private Task<BundleAffinity?> AffinityOf(RunRequest run)
    {
        ExperimentSpec spec;
        string key;
        try
        {
            spec = SpecJson.Parse<ExperimentSpec>(run.SpecJson);
            key = worker.BundleKey(spec);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            return Task.FromResult<BundleAffinity?>(null);
        }

        return spec.Training.Bundle is { } members
            ? Task.FromResult<BundleAffinity?>(new BundleAffinity(key, members))
            : Task.Run<BundleAffinity?>(() => new BundleAffinity(key, Members: 0, OwnSiloMembers(spec), worker.Device));
    }

    private int OwnSiloMembers(ExperimentSpec spec)
    {
        try
        {
            return worker.BundleMembers(spec);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            logger.LogDebug(error, "Could not size the bundles of run {Run} here; placement waits for a silo to report them", _request?.RunHash);
            return 0;
        }
    }

    /// <summary>Takes in the state of the current iteration, as Ensure answered it or the iteration reported it; true when
    /// that iteration has just finished.</summary>
    private async Task<bool> ApplyAsync(int iteration, IterationSnapshot snapshot)
    {
        _heardAt = DateTimeOffset.UtcNow;
        if (_unreachableSince is { } since)
        {
            logger.LogInformation("Iteration {Iteration} of run {Run} reachable again after {Seconds:F0} s", iteration, _request?.RunHash, (_heardAt - since).TotalSeconds);
            _unreachableSince = null;
            _unreachablePolls = 0;
        }

        _current = snapshot;
        switch (snapshot.State)
        {
            case IterationState.NotStarted:
            case IterationState.Queued:
            case IterationState.Cancelled: // not cancelled by us: its silo is stopping; asked again, it is placed anew
                _state = RunState.Queued;
                break;
            case IterationState.Training:
                _state = RunState.Training;
                break;
            case IterationState.Failed:
                await OnIterationFailedAsync(iteration, snapshot.Failure, snapshot.Error ?? "failed without a reason");
                break;
            case IterationState.Finished when snapshot.Result is { } result:
                _finished.Add(result);
                _current = null;
                _trained = result.IsLast;
                _state = RunState.Queued;
                _attempts = 0;
                return true;
        }

        return false;
    }

    /// <summary>A permanent failure ends the run; a transient one (or stored inputs that must be trained again) is
    /// retried after a backoff, at most Grid:RetryLimit times.</summary>
    private async Task OnIterationFailedAsync(int iteration, FailureKind kind, string reason)
    {
        if (kind is FailureKind.Permanent or FailureKind.None)
        {
            await FailAsync(iteration, FailureKind.Permanent, reason);
            return;
        }

        _attempts++;
        if (_attempts > options.Value.RetryLimit)
        {
            await FailAsync(iteration, kind, $"{reason} (gave up after {_attempts} tries)");
            return;
        }

        var delay = RetryBackoff.Delay(options.Value, _attempts);
        logger.LogWarning("Iteration {Iteration} of run {Run} failed ({Kind}): {Reason}; retry {Attempt} of {Limit} in {Delay:F1} s",
            iteration, _request?.RunHash, kind, reason, _attempts, options.Value.RetryLimit, delay.TotalSeconds);
        BackOff(delay);
        _state = RunState.Queued;
        if (kind == FailureKind.CorruptArtifact)
        {
            _loaded = false; // verify the store again (and set the bad iterations aside) before the retry
        }
    }

    private async Task OnUnreachableAsync(int iteration, Exception error)
    {
        var now = DateTimeOffset.UtcNow;
        _unreachableSince ??= now;
        _unreachablePolls++;
        string reason = error.Message.Split('\n', 2)[0].Trim();
        var waited = now - _unreachableSince.Value;
        if (waited >= TimeSpan.FromSeconds(options.Value.UnreachableSeconds))
        {
            await FailAsync(iteration, FailureKind.Transient, $"unreachable for {waited.TotalSeconds:F0} s ({error.GetType().Name}: {reason})");
            return;
        }

        if (_unreachablePolls == 1)
        {
            logger.LogWarning("Iteration {Iteration} of run {Run} unreachable ({Reason}); asking again with backoff for up to {Limit} s",
                iteration, _request?.RunHash, reason, options.Value.UnreachableSeconds);
        }

        // Poll interval, doubling, at most UnreachablePollCap: a silo that comes back is noticed within seconds.
        double milliseconds = options.Value.PollInterval.TotalMilliseconds * Math.Pow(2, Math.Min(_unreachablePolls - 1, 16));
        BackOff(TimeSpan.FromMilliseconds(Math.Min(milliseconds, UnreachablePollCap.TotalMilliseconds)));
        _state = RunState.Queued;
    }

    /// <summary>No new try before <paramref name="delay"/>: the timer's next tick moves there (a call that wakes the run
    /// meanwhile, e.g. an analysis that finished, does not try early either).</summary>
    private void BackOff(TimeSpan delay)
    {
        _retryAt = DateTimeOffset.UtcNow + delay;
        _timer?.Change(delay, options.Value.PollInterval);
    }

    /// <summary>Ends the run as failed and records why in its directory (it stays failed until submitted again).</summary>
    private async Task FailAsync(int iteration, FailureKind kind, string reason)
    {
        _error = $"iteration {iteration}: {reason}";
        logger.LogWarning("Run {Run} failed at iteration {Iteration} ({Kind}): {Reason}", _request?.RunHash, iteration, kind, reason);
        Complete(RunState.Failed);
        if (_request is { } request)
        {
            var record = new RunFailureRecord(iteration, kind == FailureKind.CorruptArtifact ? "corrupt-artifact" : kind.ToString().ToLowerInvariant(), reason, DateTimeOffset.UtcNow);
            try
            {
                await RunDisk.WriteFailureAsync(options.Value, request, record);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning("Run {Run}: could not record its failure in {File}: {Reason}", request.RunHash, RunFailureFile.FileName, error.Message);
            }
        }
    }

    private int PendingAnalyses =>
        _request is null ? 0
            : (_request.Analysis.Count == 0 ? 0 : _finished.Count(f => !_analysed.Contains(f.Iteration)))
              + (_request.ReportedAnalysis.Count == 0 || !_trained ? 0 : ReportedIterations().Count(i => !_reported.Contains(i)));

    /// <summary>The iterations the report shows: the last, and the best (the earliest on ties) when different.</summary>
    private IEnumerable<int> ReportedIterations()
    {
        if (_finished.Count == 0)
        {
            yield break;
        }

        int last = _finished[^1].Iteration, best = _finished.MaxBy(f => f.BestValAccuracy)!.Iteration;
        yield return last;
        if (best != last)
        {
            yield return best;
        }
    }

    /// <summary>Requests the analyses of finished iterations (a few at a time), and once the run has trained the
    /// report-only ones of the iterations the report shows, and collects which are done.</summary>
    private async Task RequestAnalysesAsync(RunRequest run)
    {
        if (run.Analysis.Count > 0)
        {
            foreach (var iteration in _finished.Where(f => !_analysed.Contains(f.Iteration)).Take(AnalysisWindow).Select(f => f.Iteration).ToList())
            {
                if (await AnalysesDoneAsync(run, iteration, run.Analysis))
                {
                    _analysed.Add(iteration);
                }
            }
        }

        if (run.ReportedAnalysis.Count > 0 && _trained)
        {
            foreach (int iteration in ReportedIterations().Where(i => !_reported.Contains(i)).ToList())
            {
                if (await AnalysesDoneAsync(run, iteration, run.ReportedAnalysis))
                {
                    _reported.Add(iteration);
                }
            }
        }
    }

    /// <summary>True once <paramref name="analyses"/> of an iteration are done (or failed), as its analysis grain last
    /// answered or reported. Otherwise tells the grain to compute them, unless it is computing and was heard from within
    /// <see cref="GridOptions.ReportSilence"/> (it reports when it ends).</summary>
    private async Task<bool> AnalysesDoneAsync(RunRequest run, int iteration, IReadOnlyList<string> analyses)
    {
        var snapshot = _analysesHeard.TryGetValue(iteration, out var heard) ? heard.Snapshot : null;
        if (snapshot is null || (!Covers(snapshot) && !(snapshot.Running && DateTimeOffset.UtcNow - heard.At < options.Value.ReportSilence)))
        {
            var request = new AnalysisRequest { Run = run, Iteration = iteration, Analyses = analyses, Generation = _generation };
            try
            {
                snapshot = await GrainFactory.GetGrain<IAnalysisGrain>(request.GrainKey).Ensure(request);
                _analysesHeard[iteration] = (snapshot, DateTimeOffset.UtcNow);
            }
            catch (Exception error)
            {
                logger.LogDebug(error, "Analysis of {Run} iteration {Iteration} unreachable; retrying", run.RunHash, iteration);
                return false;
            }
        }

        if (!Covers(snapshot))
        {
            return false;
        }

        _analysisErrors.AddRange(snapshot.Failed.Where(f => analyses.Contains(f.Key)).Select(f => $"{f.Key} (iteration {iteration}): {f.Value}"));
        return true;

        bool Covers(AnalysisSnapshot s) => analyses.All(a => s.Completed.Contains(a) || s.Failed.ContainsKey(a));
    }

    private void Complete(RunState state)
    {
        _state = state;
        StopTimers();
        TellCoordinator();
    }

    /// <summary>Reports the run's status to its coordinator (one way); a report also wakes a coordinator lost with its silo.</summary>
    private void TellCoordinator()
    {
        if (_request is not null)
        {
            GrainFactory.GetGrain<ISweepGrain>(_request.SweepHash).RunChanged(Status()).Ignore();
        }
    }

    /// <summary>Reports at once what the coordinator must not wait a poll interval for: a change of the run's state, its
    /// finished iterations, its current iteration's state or its pending analyses (or its having read the store).</summary>
    private void TellCoordinatorIfChanged()
    {
        if (_request is not null && _told != Shown())
        {
            TellCoordinator();
        }
    }

    /// <summary>What the coordinator must hear at once when it changes.</summary>
    private (RunState, int, IterationState?, int, bool) Shown() => (_state, _finished.Count, _current?.State, PendingAnalyses, _loaded);

    private void StopTimers()
    {
        _timer?.Dispose();
        _timer = null;
        _reporting?.Dispose();
        _reporting = null;
    }

    private ITrainingIterationGrain IterationGrain(int iteration) =>
        GrainFactory.GetGrain<ITrainingIterationGrain>(GrainKeys.Iteration(_request!.SweepHash, _request.RunHash, iteration));

    /// <summary>The run's status for its coordinator (an answer or a report), stamped with this activation and its place
    /// among the statuses given out, and remembered as told.</summary>
    private RunStatus Status()
    {
        _told = Shown();
        var request = _request;
        bool ended = _state is RunState.Finished or RunState.Cancelled or RunState.Failed;
        int estimated = _trained ? _finished.Count : Math.Max(request?.EstimatedIterations ?? 1, _finished.Count + 1);
        var current = ended || _trained ? null : _current?.Progress;
        return new RunStatus
        {
            Index = request?.RunIndex ?? 0,
            RunHash = request?.RunHash ?? "",
            Values = request?.Values ?? [],
            State = _state,
            FinishedIterations = _finished.Count,
            EstimatedIterations = estimated,
            Current = current,
            Last = _finished.Count > 0 ? _finished[^1] : null,
            Best = IterationResults.Best(_finished),
            Error = _error,
            Silo = _current?.Silo,
            Device = ended ? null : _current?.Device,
            BundleMembers = ended ? 0 : _current?.BundleMembers ?? 0,
            Gathered = ended ? 0 : _current?.Gathered ?? 0,
            GatherCapacity = ended ? 0 : _current?.GatherCapacity ?? 0,
            EtaSeconds = ended ? null : Eta(estimated, current),
            AnalysesPending = PendingAnalyses,
            AnalysisErrors = [.. _analysisErrors],
            Loaded = _loaded || ended,
            Warnings = [.. _warnings],
            Activation = _activation,
            Sequence = ++_sequence,
        };
    }

    /// <summary>What is left of the current iteration plus the remaining iterations at the mean iteration time.</summary>
    private double? Eta(int estimated, IterationProgress? current)
    {
        if (_trained)
        {
            return null;
        }

        double? perIteration = _finished.Count > 0 ? _finished.Average(f => f.TrainSeconds)
            : current is { EtaSeconds: { } eta } ? current.ElapsedSeconds + eta
            : null;
        if (perIteration is not { } mean)
        {
            return null;
        }

        double currentLeft = current?.EtaSeconds ?? mean;
        return currentLeft + Math.Max(0, estimated - _finished.Count - 1) * mean;
    }
}
