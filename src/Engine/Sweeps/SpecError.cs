namespace Grid.Engine.Sweeps;

/// <summary>
/// One problem in a sweep file. <see cref="Path"/> is the location in the file (e.g. <c>base.training.steps</c>,
/// <c>matrix[1].values[0]</c>); <see cref="Field"/>, when set, is the experiment field that location stands for.
/// </summary>
public sealed record SpecError(string Path, string Message, string? Field = null)
{
    /// <summary>1-based line in the source file, when the reader knows it.</summary>
    public int? Line { get; init; }

    /// <summary>The command-line override (e.g. <c>seed=0,1,2</c>) that set the value at <see cref="Path"/>, when one
    /// did; it is named instead of a line of the file.</summary>
    public string? Override { get; init; }

    public override string ToString()
    {
        string where = Field is null ? Path : $"{Path} ({Field})";
        return Override is { } given ? $"{where}: {Message} (set on the command line: {given})"
            : Line is { } line ? $"{where}: {Message} (line {line})"
            : $"{where}: {Message}";
    }
}

/// <summary>Thrown when a sweep is used although it has errors; carries every error.</summary>
public sealed class SweepSpecException(IReadOnlyList<SpecError> errors)
    : Exception($"invalid sweep specification:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", errors)}")
{
    public IReadOnlyList<SpecError> Errors { get; } = errors;
}
