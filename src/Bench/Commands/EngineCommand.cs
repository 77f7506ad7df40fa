namespace Grid.Bench.Commands;

/// <summary><c>engine</c>: <see cref="EngineBenchmark"/>.</summary>
public sealed class EngineCommand : BenchCommand<EngineSettings>
{
    protected override void Run(EngineSettings settings) => EngineBenchmark.Run(settings);
}
