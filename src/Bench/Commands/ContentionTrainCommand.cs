namespace Grid.Bench.Commands;

/// <summary><c>contention-train</c>: <see cref="ContentionTrainer"/>.</summary>
public sealed class ContentionTrainCommand : BenchCommand<ContentionTrainSettings>
{
    protected override void Run(ContentionTrainSettings settings) => ContentionTrainer.Run(settings);
}
