namespace Grid.Bench.Commands;

/// <summary><c>mkl-dispatch</c>: <see cref="MklDispatchBenchmark"/>.</summary>
public sealed class MklDispatchCommand : BenchCommand<MklDispatchSettings>
{
    protected override void Run(MklDispatchSettings settings) => MklDispatchBenchmark.Run(settings);
}
