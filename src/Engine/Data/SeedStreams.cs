using System.Text;
using Grid.Engine.Runtime;
using TorchSharp;

namespace Grid.Engine.Data;

/// <summary>
/// Independent, reproducible random streams derived from a run seed and a purpose name
/// (SplitMix64 of the seed mixed with the FNV-1a hash of the purpose; stable across processes and platforms,
/// unlike string.GetHashCode).
/// </summary>
public static class SeedStreams
{
    public static int Derive(long seed, string purpose) => unchecked((int)(Derive64(seed, purpose) >> 32));

    /// <summary>A torch generator for the purpose (e.g. "batches/3" for the batches of iteration 3).</summary>
    public static torch.Generator Generator(long seed, string purpose)
    {
        TorchRuntime.EnsureLoaded();
        return new torch.Generator(Derive64(seed, purpose) & 0x7FFF_FFFF_FFFF_FFFFUL);
    }

    private static ulong Derive64(long seed, string purpose)
    {
        ulong hash = 14695981039346656037UL;
        foreach (byte b in Encoding.UTF8.GetBytes(purpose))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        ulong z = unchecked((ulong)seed ^ hash) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A System.Random for the purpose (its seeded algorithm is fixed across .NET versions).</summary>
    public static Random Random(long seed, string purpose) => new(Derive(seed, purpose));
}
