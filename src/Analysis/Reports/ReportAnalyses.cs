using Grid.Analysis.Runs;
using Grid.Engine.Specs;

namespace Grid.Analysis.Reports;

/// <summary>The outcome of one analysis for the report: its result, or the error that stopped it.</summary>
internal sealed record ReportAnalysis(string Name, int Iteration, IterationAnalysisResult? Result, string? Error);

/// <summary>
/// Runs the analyses the report shows that are still missing (the sweep's list, else the default for its spec) on
/// each run's last and best iteration, and the per-run ones after the last iteration. An analysis that fails is
/// reported in the page rather than stopping the report.
/// </summary>
internal static class ReportAnalyses
{
    public static IReadOnlyList<string> NamesFor(IReadOnlyList<string> sweepAnalyses, ExperimentSpec spec, IReadOnlyList<string>? overrideNames) =>
        overrideNames ?? IterationAnalyses.ForSweep(sweepAnalyses, spec);

    public static IReadOnlyList<ReportAnalysis> Run(ReportRun run, IReadOnlyList<string> names, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var results = new List<ReportAnalysis>();
        if (run.Spec is null || run.Last is null)
        {
            return results;
        }
        foreach (string name in names)
        {
            bool perRun = IterationAnalyses.IsKnown(name) && IterationAnalyses.Get(name).Scope == AnalysisScope.Run;
            IEnumerable<int> iterations = perRun ? [run.Last.Iteration] : run.ShownIterations;
            foreach (int iteration in iterations)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    IterationAnalysisResult result = IterationAnalyses.Run(name, run.Spec, run.Directory, iteration, cancellationToken);
                    if (result.Status == AnalysisStatus.Computed)
                    {
                        progress?.Report($"{run.Hash} iteration {iteration}: {name} ({result.Elapsed.TotalSeconds:F1} s)");
                    }
                    results.Add(new ReportAnalysis(name, iteration, result, null));
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    progress?.Report($"{run.Hash} iteration {iteration}: {name} failed: {error.Message}");
                    results.Add(new ReportAnalysis(name, iteration, null, $"{error.GetType().Name}: {error.Message}"));
                }
            }
        }
        return results;
    }
}
