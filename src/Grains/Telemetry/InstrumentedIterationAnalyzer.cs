using System.Diagnostics;
using Grid.Grains.Analysis;

namespace Grid.Grains.Telemetry;

/// <summary>Wraps the silo's <see cref="IIterationAnalyzer"/>: counts started / finished / failed analyses and their wall time.</summary>
public sealed class InstrumentedIterationAnalyzer(IIterationAnalyzer inner, string silo) : IIterationAnalyzer
{
    public IIterationAnalyzer Inner => inner;

    public async Task AnalyzeAsync(IterationAnalysisContext context, CancellationToken cancellationToken)
    {
        var tags = new TagList
        {
            { GridMetrics.Sweep, IterationLabels.SweepOf(context.SweepDirectory) },
            { GridMetrics.Analysis, context.Analysis },
            { GridMetrics.Silo, silo },
        };
        GridMetrics.AnalysesFailed.Add(0, tags);
        GridMetrics.AnalysesStarted.Add(1, tags);
        var clock = Stopwatch.StartNew();
        try
        {
            await inner.AnalyzeAsync(context, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            GridMetrics.AnalysesFailed.Add(1, tags);
            throw;
        }

        GridMetrics.AnalysisDuration.Record(clock.Elapsed.TotalSeconds, tags);
        GridMetrics.AnalysesFinished.Add(1, tags);
    }
}
