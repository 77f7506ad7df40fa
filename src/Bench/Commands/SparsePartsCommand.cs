namespace Grid.Bench.Commands;

/// <summary><c>sparse-parts</c>: <see cref="SparsePartsBenchmark"/>.</summary>
public sealed class SparsePartsCommand : BenchCommand<SparsePartsSettings>
{
    protected override void Run(SparsePartsSettings settings) => SparsePartsBenchmark.Run(settings);
}
