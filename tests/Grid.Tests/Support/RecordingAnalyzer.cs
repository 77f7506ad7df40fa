using System.Collections.Concurrent;
using Grid.Grains.Analysis;

namespace Grid.Tests.Support;

/// <summary>The analyzer of simulated test silos: writes nothing (simulated runs have no masks) and records every call
/// (silos run in-process, so the log is shared).</summary>
public sealed class RecordingAnalyzer : IIterationAnalyzer
{
    public static readonly ConcurrentQueue<IterationAnalysisContext> Log = new();

    public static IReadOnlyList<IterationAnalysisContext> For(string sweepDirectoryPart) =>
        [.. Log.Where(c => c.SweepDirectory.Contains(sweepDirectoryPart, StringComparison.Ordinal))];

    public Task AnalyzeAsync(IterationAnalysisContext context, CancellationToken cancellationToken)
    {
        Log.Enqueue(context);
        return Task.CompletedTask;
    }
}
