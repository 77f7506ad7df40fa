using Grid.Analysis.Benchmarks;
using Spectre.Console.Cli;

namespace Grid.Bench.Commands;

/// <summary><c>analysis</c>: <see cref="AnalysisBenchmark"/> (no options).</summary>
public sealed class AnalysisCommand : BenchCommand<EmptyCommandSettings>
{
    protected override void Run(EmptyCommandSettings settings) => AnalysisBenchmark.Run(Console.Out);
}
