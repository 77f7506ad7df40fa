using System.Collections.Concurrent;
using Orleans.Serialization.Invocation;

namespace Grid.Tests.Support;

/// <summary>A call between a run grain and an iteration grain: an Ensure the iteration answered, or a report
/// (IterationChanged) to the run, with the iteration state it carried; <paramref name="Lost"/>: a report the run never heard.</summary>
public sealed record IterationCall(string IterationKey, string Method, IterationState State, int? Step, bool Lost = false);

/// <summary>A call between a run grain and an analysis grain: an Ensure the analysis grain answered, or a report
/// (AnalysisChanged) to the run, and whether it said the grain was still computing.</summary>
public sealed record AnalysisCall(string AnalysisKey, string Method, bool Running);

/// <summary>
/// An incoming grain call filter on every test silo that records the calls between run grains and the iteration and
/// analysis grains they drive (silos run in-process, so the logs are shared). It drops the reports of an iteration a
/// test silences, as if they were lost, until its run asks it again.
/// </summary>
public sealed class RunCalls : IIncomingGrainCallFilter
{
    public const string Ensure = nameof(ITrainingIterationGrain.Ensure);
    public const string IterationReport = nameof(IPruningRunGrain.IterationChanged);
    public const string AnalysisReport = nameof(IPruningRunGrain.AnalysisChanged);

    public static readonly ConcurrentQueue<IterationCall> Iterations = new();
    public static readonly ConcurrentQueue<AnalysisCall> Analyses = new();

    /// <summary>Sweep hash → the iteration whose reports to its runs are lost until a run asks it a second time.</summary>
    public static readonly ConcurrentDictionary<string, int> Silenced = new(StringComparer.Ordinal);

    /// <summary>The calls of one iteration of a sweep's runs, in order.</summary>
    public static IReadOnlyList<IterationCall> OfIteration(string sweepHash, int iteration) =>
        [.. Iterations.Where(c => c.IterationKey.StartsWith(sweepHash + "/", StringComparison.Ordinal) && c.IterationKey.EndsWith($"/{iteration}", StringComparison.Ordinal))];

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
        }

        await context.Invoke();
    }

    private static bool IsSilenced(IterationRequest request) =>
        Silenced.TryGetValue(request.Run.SweepHash, out int iteration) && iteration == request.Iteration;
}
