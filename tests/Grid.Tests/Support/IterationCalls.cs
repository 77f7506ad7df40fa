using System.Collections.Concurrent;
using Orleans.Serialization.Invocation;

namespace Grid.Tests.Support;

/// <summary>A call between a run grain and an iteration grain: an Ensure the iteration answered, or a report
/// (IterationChanged) to the run, with the iteration state it carried; <paramref name="Lost"/>: a report the run never heard.</summary>
public sealed record IterationCall(string IterationKey, string Method, IterationState State, int? Step, bool Lost = false);

/// <summary>
/// An incoming grain call filter on every test silo that records the calls between run and iteration grains (silos run
/// in-process, so the log is shared). It drops the reports of an iteration a test silences, as if they were lost, until
/// its run asks it again.
/// </summary>
public sealed class IterationCalls : IIncomingGrainCallFilter
{
    public const string Ensure = nameof(ITrainingIterationGrain.Ensure);
    public const string Report = nameof(IPruningRunGrain.IterationChanged);

    public static readonly ConcurrentQueue<IterationCall> Log = new();

    /// <summary>Sweep hash → the iteration whose reports to its runs are lost until a run asks it a second time.</summary>
    public static readonly ConcurrentDictionary<string, int> Silenced = new(StringComparer.Ordinal);

    /// <summary>The calls of one iteration of a sweep's runs, in order.</summary>
    public static IReadOnlyList<IterationCall> Of(string sweepHash, int iteration) =>
        [.. Log.Where(c => c.IterationKey.StartsWith(sweepHash + "/", StringComparison.Ordinal) && c.IterationKey.EndsWith($"/{iteration}", StringComparison.Ordinal))];

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.Grain is ITrainingIterationGrain && context.MethodName == Ensure && context.Request.GetArgument(0) is IterationRequest asked)
        {
            if (IsSilenced(asked) && Log.Any(c => c.IterationKey == asked.GrainKey && c.Method == Ensure))
            {
                Silenced.TryRemove(asked.Run.SweepHash, out _); // asked again: its reports arrive from now on
            }

            await context.Invoke();
            if (context.Result is IterationSnapshot answer)
            {
                Log.Enqueue(new IterationCall(asked.GrainKey, Ensure, answer.State, answer.Progress?.Step));
            }

            return;
        }

        if (context.Grain is IPruningRunGrain && context.MethodName == Report
            && context.Request.GetArgument(0) is IterationRequest reported && context.Request.GetArgument(1) is IterationSnapshot snapshot)
        {
            bool lost = IsSilenced(reported);
            Log.Enqueue(new IterationCall(reported.GrainKey, Report, snapshot.State, snapshot.Progress?.Step, lost));
            if (lost)
            {
                context.Response = Response.Completed; // the run never hears it
                return;
            }
        }

        await context.Invoke();
    }

    private static bool IsSilenced(IterationRequest request) =>
        Silenced.TryGetValue(request.Run.SweepHash, out int iteration) && iteration == request.Iteration;
}
