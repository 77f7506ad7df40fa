using Grid.Engine.Specs;

namespace Grid.Grains.Analysis;

/// <summary>
/// The seam to the analysis library: computes one named analysis of one finished iteration and writes its artifacts
/// under the run directory. Called off the Orleans scheduler; must be idempotent (skip work whose output exists).
/// Register an implementation in DI to replace the no-op default.
/// </summary>
public interface IIterationAnalyzer
{
    Task AnalyzeAsync(IterationAnalysisContext context, CancellationToken cancellationToken);
}

/// <param name="Analysis">Name from the sweep's analysis list.</param>
/// <param name="RunDirectory">Absolute path of the engine's run directory.</param>
/// <param name="SweepDirectory">Absolute path of the sweep directory.</param>
public sealed record IterationAnalysisContext(string Analysis, ExperimentSpec Spec, string RunDirectory, int Iteration, string SweepDirectory);
