namespace Grid.Bench.Commands;

/// <summary><c>contention</c>: <see cref="ContentionBenchmark"/>.</summary>
public sealed class ContentionCommand : BenchCommand<ContentionSettings>
{
    protected override void Run(ContentionSettings settings) => ContentionBenchmark.Run(settings);
}
