namespace Grid.Bench.Commands;

/// <summary><c>row-walk</c>: <see cref="RowWalkBenchmark"/>.</summary>
public sealed class RowWalkCommand : BenchCommand<RowWalkSettings>
{
    protected override void Run(RowWalkSettings settings) => RowWalkBenchmark.Run(settings);
}
