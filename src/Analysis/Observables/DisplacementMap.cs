namespace Grid.Analysis.Observables;

/// <summary>
/// S(d) on d = (dx, dy) in [-(W-1), W-1] x [-(H-1), H-1]:
/// S(d) = sum_j sum over ordered input pairs (i, i') with pos(i') - pos(i) = d of m_ij m_i'j.
/// <see cref="SameChannel"/> (S^sc) counts pairs in the same colour channel and is 0 at d = 0 by definition
/// (the dropped trivial count, sum_j C^in_j, is kept in <see cref="SameChannelAtZero"/>);
/// <see cref="DifferentChannel"/> (S^dc) counts pairs in different channels, d = 0 included.
/// Values are stored row-major over (dy, dx): index (dy + H - 1) * (2W - 1) + (dx + W - 1).
/// Observed maps hold exact integers; reference maps hold expectations.
/// </summary>
public sealed class DisplacementMap
{
    public DisplacementMap(int height, int width, double[] sameChannel, double[] differentChannel, double sameChannelAtZero, int nodes)
    {
        int size = (2 * height - 1) * (2 * width - 1);
        if (sameChannel.Length != size || differentChannel.Length != size)
        {
            throw new ArgumentException($"Expected {size} values per map for a {height}x{width} image.");
        }
        Height = height;
        Width = width;
        SameChannel = sameChannel;
        DifferentChannel = differentChannel;
        SameChannelAtZero = sameChannelAtZero;
        Nodes = nodes;
    }

    public int Height { get; }
    public int Width { get; }

    /// <summary>Number of nodes summed into the map.</summary>
    public int Nodes { get; }

    public IReadOnlyList<double> SameChannel { get; }
    public IReadOnlyList<double> DifferentChannel { get; }

    /// <summary>The trivial same-channel count at d = 0 (each connection paired with itself), not part of S^sc.</summary>
    public double SameChannelAtZero { get; }

    /// <summary>2W - 1.</summary>
    public int MapWidth => 2 * Width - 1;

    /// <summary>2H - 1.</summary>
    public int MapHeight => 2 * Height - 1;

    public int IndexOf(int dx, int dy)
    {
        if (Math.Abs(dx) >= Width || Math.Abs(dy) >= Height)
        {
            throw new ArgumentOutOfRangeException(nameof(dx), $"d = ({dx}, {dy}) is outside the {Height}x{Width} image.");
        }
        return (dy + Height - 1) * MapWidth + dx + Width - 1;
    }

    public double SameChannelAt(int dx, int dy) => SameChannel[IndexOf(dx, dy)];

    public double DifferentChannelAt(int dx, int dy) => DifferentChannel[IndexOf(dx, dy)];

    public double Get(DisplacementKind kind, int dx, int dy) =>
        kind == DisplacementKind.SameChannel ? SameChannelAt(dx, dy) : DifferentChannelAt(dx, dy);

    public IReadOnlyList<double> Values(DisplacementKind kind) =>
        kind == DisplacementKind.SameChannel ? SameChannel : DifferentChannel;
}

public enum DisplacementKind
{
    /// <summary>S^sc: both inputs in the same colour channel.</summary>
    SameChannel,

    /// <summary>S^dc: inputs in different colour channels.</summary>
    DifferentChannel,
}
