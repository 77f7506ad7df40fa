namespace Grid.Bench.Commands;

/// <summary><c>engine-run</c>: <see cref="EngineRun"/>.</summary>
public sealed class EngineRunCommand : BenchCommand<EngineRunSettings>
{
    protected override void Run(EngineRunSettings settings) => EngineRun.Run(settings.SpecPath);
}
