namespace Grid.Bench.Commands;

/// <summary><c>sparsity-steps</c>: <see cref="SparsityStepsBenchmark"/>.</summary>
public sealed class SparsityStepsCommand : BenchCommand<SparsityStepsSettings>
{
    protected override void Run(SparsityStepsSettings settings) => SparsityStepsBenchmark.Run(settings);
}
