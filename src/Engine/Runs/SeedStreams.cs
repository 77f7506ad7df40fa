using static TorchSharp.torch;

namespace Grid.Engine.Runs;

/// <summary>Independent, reproducible random streams of a run derived from its seed (SplitMix64 mixing).</summary>
public static class SeedStreams
{
    public const int Initialisation = 1;
    public const int Batches = 2;
    public const int Pruning = 3;

    public static Generator Create(long seed, int stream, int iteration = 0)
    {
        ulong z = unchecked((ulong)seed + 0x9E3779B97F4A7C15UL * (ulong)(stream * 1_000_003 + iteration + 1));
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return new Generator(z & 0x7FFF_FFFF_FFFF_FFFFUL);
    }
}
