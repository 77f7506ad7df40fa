namespace Grid.Bench.Commands;

/// <summary><c>bundle</c>: <see cref="BundleBenchmark"/>.</summary>
public sealed class BundleCommand : BenchCommand<BundleSettings>
{
    protected override void Run(BundleSettings settings) => BundleBenchmark.Run(settings);
}
