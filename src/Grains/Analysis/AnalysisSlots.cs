namespace Grid.Grains.Analysis;

/// <summary>Bounds how many analyses a silo computes at once (they share the CPU with training).</summary>
public sealed class AnalysisSlots
{
    public SemaphoreSlim Gate { get; } = new(Math.Max(1, Environment.ProcessorCount / 2));
}
