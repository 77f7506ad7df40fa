using System.Collections.Concurrent;
using Orleans.Serialization.Invocation;

namespace Grid.Tests.Support;

/// <summary>A call between a run grain and an iteration grain: an Ensure the iteration answered, or a report
/// (IterationChanged) to the run, with the iteration state it carried; <paramref name="Lost"/>: a report the run never heard.</summary>
public sealed record IterationCall(string IterationKey, string Method, IterationState State, int? Step, bool Lost = false);

/// <summary>A call between a run grain and an analysis grain: an Ensure the analysis grain answered, or a report
/// (AnalysisChanged) to the run, and whether it said the grain was still computing.</summary>
public sealed record AnalysisCall(string AnalysisKey, string Method, bool Running);

/// <summary>A call between a sweep coordinator and a run grain (key "sweep/run"): a command the run answered (Ensure,
/// Restart) or a report (RunChanged) to the coordinator, with the run state it carried and when it arrived;
/// <paramref name="Lost"/>: a report the coordinator never heard.</summary>
public sealed record SweepRunCall(string RunKey, string Method, RunState State, int FinishedIterations, DateTimeOffset At, bool Lost = false);

/// <summary>
/// An incoming grain call filter on every test silo that records the calls between run grains and the iteration and
/// analysis grains they drive, and between sweep coordinators and their runs (silos run in-process, so the logs are
/// shared). It drops the reports of an iteration or a run a test silences, as if they were lost, until it is asked again.
/// </summary>
public sealed class RunCalls : IIncomingGrainCallFilter
{
    public const string Ensure = nameof(ITrainingIterationGrain.Ensure);
    public const string IterationReport = nameof(IPruningRunGrain.IterationChanged);
    public const string AnalysisReport = nameof(IPruningRunGrain.AnalysisChanged);
    public const string Restart = nameof(IPruningRunGrain.Restart);
    public const string RunReport = nameof(ISweepGrain.RunChanged);

    public static readonly ConcurrentQueue<IterationCall> Iterations = new();
    public static readonly ConcurrentQueue<AnalysisCall> Analyses = new();
    public static readonly ConcurrentQueue<SweepRunCall> Runs = new();

    /// <summary>Sweep hash → the iteration whose reports to its runs are lost until a run asks it a second time.</summary>
    public static readonly ConcurrentDictionary<string, int> Silenced = new(StringComparer.Ordinal);

    /// <summary>Run grain keys ("sweep/run") whose reports to their coordinator are lost until it commands them a second time.</summary>
    public static readonly ConcurrentDictionary<string, bool> SilencedRuns = new(StringComparer.Ordinal);

    /// <summary>The calls of one iteration of a sweep's runs, in order.</summary>
    public static IReadOnlyList<IterationCall> OfIteration(string sweepHash, int iteration) =>
        [.. Iterations.Where(c => c.IterationKey.StartsWith(sweepHash + "/", StringComparison.Ordinal) && c.IterationKey.EndsWith($"/{iteration}", StringComparison.Ordinal))];

    /// <summary>The calls between a sweep's coordinator and one of its runs, in order.</summary>
    public static IReadOnlyList<SweepRunCall> OfRun(string sweepHash, string runHash) =>
        [.. Runs.Where(c => c.RunKey == GrainKeys.Run(sweepHash, runHash))];

    /// <summary>The calls of the analysis grains of a sweep's runs, in order.</summary>
    public static IReadOnlyList<AnalysisCall> OfAnalyses(string sweepHash) =>
        [.. Analyses.Where(c => c.AnalysisKey.StartsWith(sweepHash + "/", StringComparison.Ordinal))];

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        object? first = context.Request.GetArgumentCount() > 0 ? context.Request.GetArgument(0) : null;
        switch (context.Grain, context.MethodName, first)
        {
            case (ITrainingIterationGrain, Ensure, IterationRequest asked):
                if (IsSilenced(asked) && Iterations.Any(c => c.IterationKey == asked.GrainKey && c.Method == Ensure))
                {
                    Silenced.TryRemove(asked.Run.SweepHash, out _); // asked again: its reports arrive from now on
                }

                await context.Invoke();
                var answer = (IterationSnapshot)context.Result!;
                Iterations.Enqueue(new IterationCall(asked.GrainKey, Ensure, answer.State, answer.Progress?.Step));
                return;

            case (IPruningRunGrain, IterationReport, IterationRequest reported):
                var snapshot = (IterationSnapshot)context.Request.GetArgument(1)!;
                bool lost = IsSilenced(reported);
                Iterations.Enqueue(new IterationCall(reported.GrainKey, IterationReport, snapshot.State, snapshot.Progress?.Step, lost));
                if (lost)
                {
                    context.Response = Response.Completed; // the run never hears it
                    return;
                }

                break;

            case (IAnalysisGrain, Ensure, AnalysisRequest requested):
                await context.Invoke();
                Analyses.Enqueue(new AnalysisCall(requested.GrainKey, Ensure, ((AnalysisSnapshot)context.Result!).Running));
                return;

            case (IPruningRunGrain, AnalysisReport, AnalysisRequest analysed):
                Analyses.Enqueue(new AnalysisCall(analysed.GrainKey, AnalysisReport, ((AnalysisSnapshot)context.Request.GetArgument(1)!).Running));
                break;

            case (IPruningRunGrain, Ensure or Restart, RunRequest commanded):
                if (SilencedRuns.ContainsKey(commanded.GrainKey) && Runs.Any(c => c.RunKey == commanded.GrainKey && c.Method is Ensure or Restart))
                {
                    SilencedRuns.TryRemove(commanded.GrainKey, out _); // commanded again: its reports arrive from now on
                }

                string method = context.MethodName;
                await context.Invoke();
                var status = (RunStatus)context.Result!;
                Runs.Enqueue(new SweepRunCall(commanded.GrainKey, method, status.State, status.FinishedIterations, DateTimeOffset.UtcNow));
                return;

            case (ISweepGrain, RunReport, RunStatus report):
                string key = GrainKeys.Run(context.TargetId.Key.ToString()!, report.RunHash);
                bool silenced = SilencedRuns.ContainsKey(key);
                Runs.Enqueue(new SweepRunCall(key, RunReport, report.State, report.FinishedIterations, DateTimeOffset.UtcNow, silenced));
                if (silenced)
                {
                    context.Response = Response.Completed; // the coordinator never hears it
                    return;
                }

                break;
        }

        await context.Invoke();
    }

    private static bool IsSilenced(IterationRequest request) =>
        Silenced.TryGetValue(request.Run.SweepHash, out int iteration) && iteration == request.Iteration;
}
