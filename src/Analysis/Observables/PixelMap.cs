namespace Grid.Analysis.Observables;

/// <summary>A value per pixel of an H x W image, row-major (index y*W + x, y = 0 is the top row).</summary>
public sealed record PixelMap(int Height, int Width, IReadOnlyList<double> Values)
{
    public double this[int y, int x] => Values[y * Width + x];

    public double Max() => Values.Count == 0 ? 0 : Values.Max();
}
