namespace Grid.Bench.Commands;

/// <summary><c>batch</c>: <see cref="BatchBenchmark"/>.</summary>
public sealed class BatchCommand : BenchCommand<BatchSettings>
{
    protected override void Run(BatchSettings settings) => BatchBenchmark.Run(settings);
}
