using System.Text.Json;
using System.Text.Json.Nodes;
using Grid.Engine.Sweeps;
using Grid.Grains.Hosting;
using Grid.Grains.Sweeps;

namespace Grid.Grains;

/// <summary>
/// Coordinator of one sweep (key: sweep hash). Writes the manifest, fans the runs out to run grains, and regenerates
/// summary.csv / aggregate.csv from the results store whenever an iteration finished. Each state change travels one way:
/// the coordinator commands each run once (<see cref="IPruningRunGrain.Restart"/> when the sweep was submitted, otherwise
/// <see cref="IPruningRunGrain.Ensure"/>; either returns the run's status at once), and the run reports its status back
/// by itself (<see cref="RunChanged"/>: at once on a change, otherwise every poll interval while it is driven); a report
/// and an answer are applied alike (<see cref="Merge"/>), stale reports are ignored (<see cref="RunHearing"/>). A run
/// is asked again only when the coordinator has not heard from it for <see cref="GridOptions.ReportSilence"/> (its silo
/// died: the call reaches a new activation, which resumes from the results store). A timer (every Grid:PollMilliseconds)
/// checks on that silence, writes the summary and settles the sweep; a report that ends the last run settles it at once.
/// Its state is the results store plus what its runs report, so a new activation (its silo died) rebuilds itself from
/// disk and carries on as soon as a run, a client or its reminder talks to it.
/// </summary>
public sealed partial class SweepGrain(IOptions<GridOptions> options, ILogger<SweepGrain> logger) : Grain, ISweepGrain
{
    private readonly SweepStore _store = new(options.Value.ResultsPath);
    private readonly Dictionary<string, RunStatus> _statuses = new(StringComparer.Ordinal);
    private readonly RunHearing _heard = new();

    /// <summary>Runs to (re)start from the results store at the next tick: every run, when the sweep is submitted.</summary>
    private readonly HashSet<string> _restart = new(StringComparer.Ordinal);

    /// <summary>Restarted runs that have not yet reported what they read from the results store.</summary>
    private readonly HashSet<string> _awaitingLoad = new(StringComparer.Ordinal);
    private IReadOnlyList<(ManifestRun Run, RunRequest? Request, string? Error)> _runs = [];
    private SweepManifest? _manifest;
    private SweepState _state = SweepState.Idle;
    private IGrainTimer? _timer;
    private string? _message;
    private string _writtenSignature = "";

    public async Task<SubmitResult> Submit(SweepSubmission submission)
    {
        JsonNode? document;
        try
        {
            document = JsonNode.Parse(submission.DocumentJson);
        }
        catch (JsonException error)
        {
            return SubmitResult.Rejected([$"(document): not valid JSON: {error.Message}"]);
        }

        var compilation = await Task.Run(() => SweepCompiler.Compile(document, SweepChecks.Options(checkFiles: true)));
        if (!compilation.IsValid)
        {
            return SubmitResult.Rejected(compilation.Errors.Select(e => e.ToString()));
        }

        var sweep = compilation.Sweep!;
        string key = this.GetPrimaryKeyString();
        if (sweep.Hash() != key)
        {
            return SubmitResult.Rejected([$"(document): the sweep's hash is {sweep.Hash()}, but it was submitted to coordinator {key}"]);
        }

        var (manifest, previousAnalysis, plan) = await Task.Run(() =>
        {
            var created = _store.Create(sweep, compilation.Runs, submission.SourceText, DateTimeOffset.UtcNow);
            _store.Relink(created, compilation.Runs);
            var plan = created.UsesRunStore ? SweepWork.Plan(_store, compilation.Runs) : null;
            IReadOnlyList<string>? previous = null;
            if (!created.Analysis.SequenceEqual(sweep.Analysis, StringComparer.Ordinal))
            {
                // The file's analysis list is the one that holds from now on (what --dry-run showed).
                previous = created.Analysis;
                created = _store.UpdateAnalysis(created, sweep.Analysis, submission.SourceText);
            }

            _store.ClearCancelled(created);
            return (created, previous, plan);
        });
        await LoadAsync(manifest, compilation.Runs, sweep.Analysis);
        if (previousAnalysis is not null)
        {
            ReopenFinishedRuns();
            _heard.Clear(); // every run is asked again, and so hears of the new list (runs that report are not asked)
        }

        if (_state != SweepState.Running)
        {
            Start(resubmitted: true);
        }

        logger.LogInformation("Sweep {Name} ({Hash}) submitted: {Runs} runs, {Finished} iterations already finished",
            manifest.Name, manifest.Hash, manifest.Runs.Count, _statuses.Values.Sum(s => s.FinishedIterations));
        return new SubmitResult
        {
            Accepted = true,
            Sweep = SweepRuns.Info(manifest),
            FinishedIterations = _statuses.Values.Sum(s => s.FinishedIterations),
            PreviousAnalysis = previousAnalysis,
            Plan = plan,
        };
    }

    /// <summary>After the analysis list changed: finished runs are driven again, so that their run grains request the
    /// analyses now listed for every finished iteration (nothing is retrained; analyses already done are reused).</summary>
    private void ReopenFinishedRuns()
    {
        foreach (var (run, request, _) in _runs)
        {
            if (request is not null && _statuses[run.Hash].State == RunState.Finished)
            {
                _statuses[run.Hash] = _statuses[run.Hash] with { State = RunState.Analysing };
            }
        }

        if (_state == SweepState.Finished)
        {
            _state = SweepState.Idle;
        }
    }

    public async Task<SweepStatus> GetStatus()
    {
        await EnsureLoadedAsync();
        if (_state == SweepState.Idle)
        {
            Start(resubmitted: false); // resume: someone is watching a sweep that is neither finished nor cancelled
        }

        return Status();
    }

    public async Task<SweepStatus> Peek()
    {
        await EnsureLoadedAsync();
        return Status();
    }

    public async Task<SweepStatus> Cancel()
    {
        await EnsureLoadedAsync();
        if (_state == SweepState.Finished)
        {
            return Status();
        }

        _state = SweepState.Cancelled;
        StopTimer();
        OnDrivingStopped();
        _restart.Clear();
        var manifest = _manifest!;
        await Task.Run(() => _store.MarkCancelled(manifest, DateTimeOffset.UtcNow));
        await Task.WhenAll(_runs.Where(r => r.Request is not null && !IsDone(r.Run.Hash)).Select(async r =>
        {
            try
            {
                var status = await GrainFactory.GetGrain<IPruningRunGrain>(r.Request!.GrainKey).Cancel();
                _statuses[r.Run.Hash] = status.RunHash.Length > 0 ? status : _statuses[r.Run.Hash] with { State = RunState.Cancelled };
            }
            catch (Exception error)
            {
                logger.LogWarning(error, "Could not cancel run {Run}", r.Run.Hash);
                _statuses[r.Run.Hash] = _statuses[r.Run.Hash] with { State = RunState.Cancelled, Current = null };
            }
        }));
        _awaitingLoad.Clear();
        await WriteSummaryAsync(force: true);
        logger.LogInformation("Sweep {Name} ({Hash}) cancelled", manifest.Name, manifest.Hash);
        return Status();
    }

    public async Task RunChanged(RunStatus status)
    {
        try
        {
            await EnsureLoadedAsync();
        }
        catch (KeyNotFoundException)
        {
            return;
        }

        if (_state == SweepState.Idle)
        {
            // This activation is new (its predecessor's silo died) while runs are still going: its first tick asks them.
            Start(resubmitted: false);
            return;
        }

        if (_state != SweepState.Running || !_statuses.ContainsKey(status.RunHash) || _restart.Contains(status.RunHash)
            || !_heard.Reported(status, DateTimeOffset.UtcNow))
        {
            return; // stale: the sweep is not driven (cancelled, ended), the run is to be restarted, or the report is older
                    // than what was heard or from an activation this coordinator did not ask
        }

        string shown = SummaryKey(_statuses[status.RunHash]);
        Merge(status);
        var merged = _statuses[status.RunHash];
        if (merged.IsTerminal || SummaryKey(merged) != shown)
        {
            await SettleAsync(); // a finished run (and so a finished sweep) is seen now, not at the next tick
        }
    }

    /// <param name="resubmitted">The sweep was submitted: every run starts again from the results store (verifying it;
    /// failed and cancelled runs are retried). Otherwise (a coordinator resuming) failed runs stay failed.</param>
    private void Start(bool resubmitted)
    {
        foreach (var (run, _, error) in _runs)
        {
            var status = _statuses[run.Hash];
            if (error is not null)
            {
                _statuses[run.Hash] = status with { State = RunState.Failed, Error = error };
            }
            else if (resubmitted)
            {
                if (status.State is RunState.Failed or RunState.Cancelled)
                {
                    _statuses[run.Hash] = status with { State = RunState.Pending, Error = null };
                }

                _restart.Add(run.Hash);
                _awaitingLoad.Add(run.Hash);
            }
        }

        _state = SweepState.Running;
        _message = null;
        _timer ??= this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions
        {
            DueTime = TimeSpan.Zero,
            Period = options.Value.PollInterval,
            KeepAlive = true,
            Interleave = false,
        });
        OnDrivingStarted(); // reminder + driver record: Persistence/SweepGrain.Recovery.cs
    }

    /// <summary>Commands the runs that are to be restarted, not yet asked by this activation, or silent; writes the
    /// summary and settles the sweep. Runs that report are not called.</summary>
    private async Task TickAsync(CancellationToken cancellationToken)
    {
        if (_state != SweepState.Running)
        {
            return;
        }

        var now = DateTimeOffset.UtcNow;
        var ask = _runs.Where(r => r.Request is not null && IsActive(r.Run.Hash)
            && (_restart.Contains(r.Run.Hash) || _heard.IsSilent(r.Run.Hash, now, options.Value.ReportSilence))).ToList();
        if (ask.Count > 0)
        {
            await AskAsync(ask);
        }

        if (_state == SweepState.Running)
        {
            await SettleAsync();
        }
    }

    /// <summary>Sends each run its command (Restart after a submission, otherwise Ensure) and applies the answers.</summary>
    private async Task AskAsync(IReadOnlyList<(ManifestRun Run, RunRequest? Request, string? Error)> runs)
    {
        var replies = await Task.WhenAll(runs.Select(async r =>
        {
            string hash = r.Run.Hash;
            bool restart = _restart.Contains(hash);
            if (!restart && _heard.HasHeard(hash))
            {
                logger.LogInformation("Run {Run} of sweep {Hash} has not reported for {Seconds:F0} s; asking it again",
                    hash, this.GetPrimaryKeyString(), options.Value.ReportSilence.TotalSeconds);
            }

            try
            {
                var run = GrainFactory.GetGrain<IPruningRunGrain>(r.Request!.GrainKey);
                var reply = restart ? await run.Restart(r.Request) : await run.Ensure(r.Request);
                _restart.Remove(hash);
                return reply;
            }
            catch (Exception error)
            {
                logger.LogDebug(error, "Run {Run} unreachable; retrying", hash);
                return null;
            }
        }));
        if (_state != SweepState.Running)
        {
            return; // cancelled meanwhile
        }

        var now = DateTimeOffset.UtcNow;
        foreach (var reply in replies)
        {
            if (reply is not null && _statuses.ContainsKey(reply.RunHash))
            {
                _heard.Answered(reply, now);
                Merge(reply);
            }
        }
    }

    /// <summary>Ends the sweep once every run ended (restarted ones having read the results store), and writes the
    /// summary when what it shows changed.</summary>
    private async Task SettleAsync()
    {
        if (_statuses.Values.All(IsTerminal) && _awaitingLoad.Count == 0)
        {
            _state = SettledState(out _message);
            StopTimer();
            OnDrivingStopped();
            logger.LogInformation("Sweep {Hash} {State}", this.GetPrimaryKeyString(), _state);
        }

        await WriteSummaryAsync(force: false);
    }

    /// <summary>
    /// Takes a run's answer or report. A run that has read the results store knows its finished iterations, even when
    /// fewer than before (iterations that did not verify were set aside). One that has not read it yet reports 0: keep
    /// what is known, and keep showing a finished run as finished while it verifies its files again.
    /// </summary>
    private void Merge(RunStatus reply)
    {
        var known = _statuses[reply.RunHash];
        if (reply.Loaded)
        {
            _awaitingLoad.Remove(reply.RunHash);
            _statuses[reply.RunHash] = reply;
            return;
        }

        var merged = reply.FinishedIterations >= known.FinishedIterations
            ? reply
            : reply with { FinishedIterations = known.FinishedIterations, Last = reply.Last ?? known.Last, Best = reply.Best ?? known.Best };
        _statuses[reply.RunHash] = known.State == RunState.Finished
            ? merged with { State = RunState.Finished, EstimatedIterations = known.EstimatedIterations, EtaSeconds = null }
            : merged;
    }

    /// <summary>The state of a sweep whose runs all ended, and why when some failed.</summary>
    private SweepState SettledState(out string? message)
    {
        var failed = _statuses.Values.Where(s => s.State == RunState.Failed).OrderBy(s => s.Index).ToList();
        message = failed.Count > 0 ? $"{failed.Count} run(s) failed; first: run {failed[0].Index}: {failed[0].Error}" : null;
        return failed.Count > 0 ? SweepState.Failed : SweepState.Finished;
    }

    /// <summary>A run the coordinator still drives: not ended, or restarted and not yet reported back.</summary>
    private bool IsActive(string runHash) =>
        !IsTerminal(_statuses[runHash]) || _restart.Contains(runHash) || _awaitingLoad.Contains(runHash);

    private async Task EnsureLoadedAsync()
    {
        if (_manifest is not null)
        {
            return;
        }

        string key = this.GetPrimaryKeyString();
        var manifest = await Task.Run(() => _store.Find(key))
            ?? throw new KeyNotFoundException($"no sweep {key} under {_store.Root}");
        var compilation = SweepStore.Compile(manifest);
        await LoadAsync(manifest, compilation.Runs, manifest.Analysis);
        await OnLoadedFromStoreAsync(); // a settled sweep's summary.csv is made current: Persistence/SweepGrain.Recovery.cs
    }

    /// <summary>Takes the manifest and what the results store says about every run.</summary>
    private async Task LoadAsync(SweepManifest manifest, IReadOnlyList<RunPlan> plans, IReadOnlyList<string> analysis)
    {
        bool fresh = _manifest is null;
        _manifest = manifest;
        _runs = SweepRuns.Requests(manifest, plans, analysis);
        var (disks, cancelled) = await Task.Run(() =>
        {
            bool isCancelled = _store.IsCancelled(manifest);
            return (manifest.Runs.Select(r => SweepRuns.FromDisk(r, _store.RunPath(manifest, r), isCancelled)).ToList(), isCancelled);
        });
        for (int i = 0; i < manifest.Runs.Count; i++)
        {
            var run = manifest.Runs[i];
            var disk = disks[i];
            bool keepLive = _statuses.TryGetValue(run.Hash, out var known) && !IsTerminal(known) && disk.State != RunState.Finished;
            _statuses[run.Hash] = keepLive ? known! : disk;
            foreach (string warning in disk.Warnings)
            {
                logger.LogWarning("Sweep {Hash}: {Warning}", manifest.Hash, warning);
            }
        }

        if (fresh)
        {
            _state = _statuses.Values.All(s => s.State == RunState.Finished) ? SweepState.Finished
                : cancelled ? SweepState.Cancelled
                : _statuses.Values.All(IsTerminal) ? SettledState(out _message)
                : SweepState.Idle;
        }
    }

    private async Task WriteSummaryAsync(bool force)
    {
        var manifest = _manifest;
        if (manifest is null)
        {
            return;
        }

        var statuses = manifest.Runs.Select(r => _statuses[r.Hash]).ToList();
        string signature = string.Join(';', statuses.Select(SummaryKey));
        if (!force && signature == _writtenSignature)
        {
            return;
        }

        _writtenSignature = signature;
        try
        {
            await Task.Run(() =>
            {
                var inputs = manifest.Runs
                    .Select((run, i) => new RunSummaryInput(run, _store.Outcomes(manifest, run), SweepRuns.PendingLabel(statuses[i]), SweepRuns.Reason(statuses[i])))
                    .ToList();
                _store.WriteSummary(manifest, SummaryTable.Summary(manifest, inputs), SummaryTable.Aggregate(manifest, inputs));
                Telemetry.SweepBoard.Publish(manifest, inputs);
            });
        }
        catch (Exception error)
        {
            _writtenSignature = "";
            logger.LogWarning(error, "Could not write the summary of sweep {Hash}", manifest.Hash);
        }
    }

    private SweepStatus Status() => new()
    {
        Sweep = _manifest is null ? new SweepInfo { Hash = this.GetPrimaryKeyString() } : SweepRuns.Info(_manifest),
        State = _state,
        Runs = [.. _runs.Select(r => _statuses[r.Run.Hash])],
        UpdatedAt = DateTimeOffset.UtcNow,
        Message = _message,
    };

    /// <summary>What summary.csv shows of a run.</summary>
    private static string SummaryKey(RunStatus status) => $"{status.FinishedIterations}:{SweepRuns.PendingLabel(status)}:{SweepRuns.Reason(status)}";

    private bool IsDone(string runHash) => _statuses[runHash].State == RunState.Finished && !_awaitingLoad.Contains(runHash);

    private static bool IsTerminal(RunStatus status) => status.IsTerminal;

    private void StopTimer()
    {
        _timer?.Dispose();
        _timer = null;
    }
}
