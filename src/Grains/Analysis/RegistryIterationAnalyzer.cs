using Grid.Analysis.Runs;

namespace Grid.Grains.Analysis;

/// <summary>Computes analyses with the analysis library's registry (idempotent: a complete record is not redone).</summary>
public sealed class RegistryIterationAnalyzer(ILogger<RegistryIterationAnalyzer> logger) : IIterationAnalyzer
{
    public Task AnalyzeAsync(IterationAnalysisContext context, CancellationToken cancellationToken)
    {
        var result = IterationAnalyses.Run(context.Analysis, context.Spec, context.RunDirectory, context.Iteration, cancellationToken);
        logger.LogDebug("Analysis {Analysis} of {Run} iteration {Iteration}: {Status} in {Elapsed}", context.Analysis, context.RunDirectory, context.Iteration, result.Status, result.Elapsed);
        return Task.CompletedTask;
    }
}
