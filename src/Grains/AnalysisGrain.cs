using Grid.Engine.Specs;
using Grid.Grains.Analysis;
using Grid.Grains.Hosting;

namespace Grid.Grains;

/// <summary>Runs the analyses of one finished iteration on the silo's <see cref="AnalysisThreads"/> (CPU work at low
/// priority, any silo). Failures are recorded, not retried within the activation. Like an iteration, it reports to its
/// run grain by itself (<see cref="IPruningRunGrain.AnalysisChanged"/>, one way): when its work ends, and every poll
/// interval while it runs (a sign of life, from a timer that also holds the activation).</summary>
public sealed class AnalysisGrain(IIterationAnalyzer analyzer, AnalysisThreads threads, IOptions<GridOptions> options, ILogger<AnalysisGrain> logger)
    : Grain, IAnalysisGrain
{
    private readonly HashSet<string> _completed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _failed = new(StringComparer.Ordinal);
    private Task? _work;
    private IGrainTimer? _reporting;

    public Task<AnalysisSnapshot> Ensure(AnalysisRequest request)
    {
        var missing = request.Analyses.Where(a => !_completed.Contains(a) && !_failed.ContainsKey(a)).ToList();
        if (missing.Count > 0 && (_work is null || _work.IsCompleted))
        {
            _reporting ??= this.RegisterGrainTimer(() => Report(request, Snapshot()), new GrainTimerCreationOptions
            {
                DueTime = options.Value.PollInterval,
                Period = options.Value.PollInterval,
                KeepAlive = true,
                Interleave = false,
            });
            _work = RunAsync(request, missing); // (disposes the timer when it ends)

            // "Computing", even when the work has already ended (the analysis thread can finish before this turn goes
            // on): its end always reaches the run by the report RunAsync sends, which the run takes after this answer.
            return Task.FromResult(Snapshot() with { Running = true });
        }

        return Task.FromResult(Snapshot());
    }

    private async Task RunAsync(AnalysisRequest request, IReadOnlyList<string> analyses)
    {
        var spec = SpecJson.Parse<ExperimentSpec>(request.Run.SpecJson);
        string sweepDirectory = Path.Combine(options.Value.ResultsPath, request.Run.SweepDirectory);
        string runDirectory = Path.Combine(sweepDirectory, request.Run.RunDirectory);
        foreach (string analysis in analyses)
        {
            var context = new IterationAnalysisContext(analysis, spec, runDirectory, request.Iteration, sweepDirectory);
            try
            {
                await threads.Run(() =>
                {
                    analyzer.AnalyzeAsync(context, CancellationToken.None).GetAwaiter().GetResult();
                    return true;
                });
                _completed.Add(analysis);
            }
            catch (OperationCanceledException)
            {
                // The silo is stopping: the analysis neither ran nor failed; a later Ensure (here or elsewhere) runs it.
                logger.LogDebug("Analysis {Analysis} of {Run} iteration {Iteration} not run: the silo is stopping", analysis, request.Run.RunHash, request.Iteration);
                break;
            }
            catch (Exception error)
            {
                _failed[analysis] = error.Message;
                logger.LogError("Analysis {Analysis} of {Run} iteration {Iteration} failed: {Reason}", analysis, request.Run.RunHash, request.Iteration, error.Message);
                logger.LogDebug(error, "Analysis {Analysis} of {Run} iteration {Iteration} failed", analysis, request.Run.RunHash, request.Iteration);
            }
        }

        _reporting?.Dispose();
        _reporting = null;
        await Report(request, Snapshot() with { Running = false }); // (this task is the work: it has not completed yet)
    }

    private Task Report(AnalysisRequest request, AnalysisSnapshot snapshot) =>
        GrainFactory.GetGrain<IPruningRunGrain>(request.Run.GrainKey).AnalysisChanged(request, snapshot);

    private AnalysisSnapshot Snapshot() => new()
    {
        Running = _work is { IsCompleted: false },
        Completed = [.. _completed],
        Failed = new Dictionary<string, string>(_failed),
    };
}
