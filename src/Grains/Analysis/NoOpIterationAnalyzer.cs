namespace Grid.Grains.Analysis;

/// <summary>Default analyzer until the analysis library is wired in: records nothing.</summary>
public sealed class NoOpIterationAnalyzer(ILogger<NoOpIterationAnalyzer> logger) : IIterationAnalyzer
{
    public Task AnalyzeAsync(IterationAnalysisContext context, CancellationToken cancellationToken)
    {
        logger.LogDebug("No analyzer registered for {Analysis} of {Run} iteration {Iteration}", context.Analysis, context.RunDirectory, context.Iteration);
        return Task.CompletedTask;
    }
}
