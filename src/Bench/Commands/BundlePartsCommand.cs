namespace Grid.Bench.Commands;

/// <summary><c>bundle-parts</c>: <see cref="BundlePartsBenchmark"/>.</summary>
public sealed class BundlePartsCommand : BenchCommand<BundlePartsSettings>
{
    protected override void Run(BundlePartsSettings settings) => BundlePartsBenchmark.Run(settings);
}
