using Grid.Engine.Data;

namespace Grid.Engine.Tasks;

/// <summary>
/// Maps every original class to one of <see cref="MacroCount"/> macro classes (docs/science.md §5 re-labelling).
/// Valid by construction: every original class mapped, macro ids in 0..k-1, every macro class non-empty.
/// </summary>
public sealed class ClassMapping
{
    private readonly int[] _macroOf;

    public ClassMapping(int[] macroOf, int macroCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(macroCount, 1);
        var sizes = new int[macroCount];
        for (int c = 0; c < macroOf.Length; c++)
        {
            if ((uint)macroOf[c] >= (uint)macroCount)
            {
                throw new ArgumentException($"class {c} maps to macro class {macroOf[c]}, outside 0..{macroCount - 1}", nameof(macroOf));
            }

            sizes[macroOf[c]]++;
        }

        int empty = Array.IndexOf(sizes, 0);
        if (empty >= 0)
        {
            throw new ArgumentException($"macro class {empty} has no original class", nameof(macroOf));
        }

        _macroOf = (int[])macroOf.Clone();
        MacroCount = macroCount;
    }

    public int OriginalCount => _macroOf.Length;
    public int MacroCount { get; }

    public int MacroOf(int originalClass) => _macroOf[originalClass];

    /// <summary>The original classes of a macro class, ascending.</summary>
    public IReadOnlyList<int> Members(int macroClass) =>
        [.. Enumerable.Range(0, _macroOf.Length).Where(c => _macroOf[c] == macroClass)];

    /// <summary>Same images, labels replaced by their macro class.</summary>
    public ImageDataset Apply(ImageDataset dataset)
    {
        if (dataset.ClassCount != OriginalCount)
        {
            throw new ArgumentException($"{dataset.Source}: {dataset.ClassCount} classes but the mapping covers {OriginalCount}", nameof(dataset));
        }

        return dataset.WithLabels([.. dataset.Labels.Select(l => _macroOf[l])], MacroCount);
    }
}
