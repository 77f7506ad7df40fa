namespace Grid.Bench.Commands;

/// <summary><c>sparse</c>: <see cref="SparseBenchmark"/>.</summary>
public sealed class SparseCommand : BenchCommand<SparseSettings>
{
    protected override void Run(SparseSettings settings) => SparseBenchmark.Run(settings);
}
