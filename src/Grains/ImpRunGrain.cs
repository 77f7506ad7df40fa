using Grid.Grains.Hosting;
using Grid.Grains.Sweeps;
using Grid.Grains.Training;

namespace Grid.Grains;

/// <summary>
/// Drives one IMP run: iteration n+1 starts only after iteration n finished. A timer polls the current iteration
/// grain (whose calls return at once); if the silo hosting it dies, the next poll reaches a new activation on
/// another silo with device slots, which starts the iteration again from the results store. Finished iterations
/// are read back from disk when the run (re)starts, so nothing finished is ever trained twice. The analyses of
/// every finished iteration are requested from analysis grains; the run is finished when they are done too.
/// </summary>
public sealed class ImpRunGrain(IOptions<GridOptions> options, ILogger<ImpRunGrain> logger) : Grain, IImpRunGrain
{
    /// <summary>Iterations whose analyses are requested at the same time.</summary>
    private const int AnalysisWindow = 2;

    private readonly List<IterationResult> _finished = [];
    private readonly HashSet<int> _analysed = [];
    private readonly List<string> _analysisErrors = [];
    private RunRequest? _request;
    private RunState _state = RunState.Pending;
    private IterationSnapshot? _current;
    private string? _error;
    private IGrainTimer? _timer;
    private bool _loaded;
    private bool _trained;
    private bool _cancelRequested;
    private int _failedPolls;

    public Task<RunStatus> Ensure(RunRequest request)
    {
        bool analysesChanged = AdoptAnalyses(request);
        _request ??= request;
        if (_timer is null && (_state != RunState.Finished || analysesChanged))
        {
            // New activation, or a failed / cancelled run submitted again: (re)start from the results store.
            _state = RunState.Pending;
            _error = null;
            _cancelRequested = false;
            _loaded = false;
            _current = null;
            _timer = this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions
            {
                DueTime = TimeSpan.Zero,
                Period = options.Value.PollInterval,
                KeepAlive = true,
                Interleave = false,
            });
        }

        return Task.FromResult(Status());
    }

    /// <summary>
    /// The sweep's analysis list may change when it is submitted again: the run takes the new list and requests its
    /// analyses of every finished iteration again (done ones are reused), even when it had finished. True when it changed.
    /// </summary>
    private bool AdoptAnalyses(RunRequest request)
    {
        if (_request is null || _request.Analysis.SequenceEqual(request.Analysis, StringComparer.Ordinal))
        {
            return false;
        }

        _request = _request with { Analysis = request.Analysis };
        _analysed.Clear();
        _analysisErrors.Clear();
        return true;
    }

    public async Task<RunStatus> Cancel()
    {
        _cancelRequested = true;
        StopTimer();
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

    public async Task IterationChanged(IterationRequest request)
    {
        // Wakes this grain if it was lost with its silo (the first tick reads the results store and checks
        // that the sweep was not cancelled). An active run collects the result and starts the next iteration now
        // rather than at its next tick, so no device slot idles for a poll interval between iterations.
        if (_request is null)
        {
            await Ensure(request.Run);
        }
        else if (_timer is not null)
        {
            await TickAsync(CancellationToken.None);
        }
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        if (_request is null || _cancelRequested)
        {
            return;
        }

        if (!_loaded && !await LoadAsync(_request))
        {
            return;
        }

        // An iteration that just finished is followed at once by a request for the next one.
        while (!_trained && !_cancelRequested)
        {
            if (!await PollIterationAsync(_request))
            {
                break;
            }
        }

        if (_cancelRequested || _state == RunState.Failed)
        {
            return;
        }

        await PollAnalysesAsync(_request);
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

    public async Task AnalysisChanged(AnalysisRequest request)
    {
        if (_timer is not null)
        {
            await TickAsync(CancellationToken.None);
        }
    }

    /// <summary>Reads what the results store has; false when the sweep turned out to be cancelled.</summary>
    private async Task<bool> LoadAsync(RunRequest request)
    {
        if (await RunDisk.SweepCancelledAsync(options.Value, request))
        {
            _cancelRequested = true;
            _state = RunState.Cancelled;
            StopTimer();
            return false;
        }

        var outcomes = await RunDisk.FinishedAsync(options.Value, request);
        _finished.Clear();
        _finished.AddRange(outcomes.Select(o => o.ToResult()));
        _trained = _finished is [.., { IsLast: true }];
        _loaded = true;
        return true;
    }

    /// <summary>Asks the current iteration grain for its state; true when that iteration has just finished.</summary>
    private async Task<bool> PollIterationAsync(RunRequest run)
    {
        var request = new IterationRequest { Run = run, Iteration = _finished.Count };
        IterationSnapshot snapshot;
        try
        {
            snapshot = await IterationGrain(request.Iteration).Ensure(request);
            _failedPolls = 0;
        }
        catch (Exception error) when (!_cancelRequested)
        {
            // The silo of the iteration died, no silo has device slots yet, ...: ask again on the next tick.
            if (++_failedPolls % 10 == 1)
            {
                logger.LogWarning(error, "Iteration {Iteration} of run {Run} unreachable; retrying", request.Iteration, run.RunHash);
            }

            _state = RunState.Queued;
            return false;
        }

        if (_cancelRequested)
        {
            return false;
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
                _error = $"iteration {request.Iteration}: {snapshot.Error}";
                Complete(RunState.Failed);
                break;
            case IterationState.Finished when snapshot.Result is { } result:
                _finished.Add(result);
                _current = null;
                _trained = result.IsLast;
                _state = RunState.Queued;
                NotifyCoordinator();
                return true;
        }

        return false;
    }

    private int PendingAnalyses =>
        _request is null || _request.Analysis.Count == 0 ? 0 : _finished.Count(f => !_analysed.Contains(f.Iteration));

    /// <summary>Requests the analyses of finished iterations (a few at a time) and collects which are done.</summary>
    private async Task PollAnalysesAsync(RunRequest run)
    {
        if (run.Analysis.Count == 0)
        {
            return;
        }

        foreach (var iteration in _finished.Where(f => !_analysed.Contains(f.Iteration)).Take(AnalysisWindow).Select(f => f.Iteration).ToList())
        {
            var request = new AnalysisRequest { Run = run, Iteration = iteration, Analyses = run.Analysis };
            try
            {
                var snapshot = await GrainFactory.GetGrain<IAnalysisGrain>(request.GrainKey).Ensure(request);
                if (!snapshot.Running && run.Analysis.All(a => snapshot.Completed.Contains(a) || snapshot.Failed.ContainsKey(a)))
                {
                    _analysed.Add(iteration);
                    _analysisErrors.AddRange(snapshot.Failed.Select(f => $"{f.Key} (iteration {iteration}): {f.Value}"));
                }
            }
            catch (Exception error)
            {
                logger.LogDebug(error, "Analysis of {Run} iteration {Iteration} unreachable; retrying", run.RunHash, iteration);
            }
        }
    }

    private void Complete(RunState state)
    {
        _state = state;
        StopTimer();
        NotifyCoordinator();
    }

    private void NotifyCoordinator()
    {
        if (_request is not null)
        {
            GrainFactory.GetGrain<ISweepGrain>(_request.SweepHash).RunChanged(_request.RunHash).Ignore();
        }
    }

    private void StopTimer()
    {
        _timer?.Dispose();
        _timer = null;
    }

    private IPruningIterationGrain IterationGrain(int iteration) =>
        GrainFactory.GetGrain<IPruningIterationGrain>(GrainKeys.Iteration(_request!.SweepHash, _request.RunHash, iteration));

    private RunStatus Status()
    {
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
            EtaSeconds = ended ? null : Eta(estimated, current),
            AnalysesPending = PendingAnalyses,
            AnalysisErrors = [.. _analysisErrors],
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
