namespace Grid.Client.Specs;

/// <summary>
/// Bounds on a sweep file, checked while it is read and before anything is expanded, so that a hostile or mistaken
/// file (a YAML alias bomb, a multi-megabyte axis, /dev/zero) fails in milliseconds and bounded memory. The largest
/// sweep the compiler accepts (10,000 runs) fits well inside each bound.
/// </summary>
public sealed record YamlLimits
{
    public static readonly YamlLimits Default = new();

    /// <summary>Largest file read (a 10,000-value axis of seeds is about 60 KB).</summary>
    public long MaxBytes { get; init; } = 1 << 20;

    /// <summary>Most values (scalars, lists and mappings) in the document once every alias is expanded.</summary>
    public int MaxValues { get; init; } = 100_000;

    /// <summary>Deepest nesting of lists and mappings (a sweep needs about 6).</summary>
    public int MaxDepth { get; init; } = 64;
}
