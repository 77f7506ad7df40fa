namespace Grid.Analysis.Runs;

public enum AnalysisStatus
{
    /// <summary>Computed now; its files were written.</summary>
    Computed,

    /// <summary>Its files already existed (complete record); nothing was written.</summary>
    AlreadyDone,

    /// <summary>Taken from the run store: computed for another run directory of the same stored iteration, its files
    /// linked here (<see cref="SharedAnalyses"/>).</summary>
    Shared,

    /// <summary>Does not apply to this iteration (e.g. the run-level evolution before the last iteration); nothing was written.</summary>
    NotApplicable,
}

/// <summary>What one call of <see cref="IterationAnalyses.Run"/> did.</summary>
/// <param name="RunDirectory">Absolute path of the run directory the record's paths are relative to.</param>
/// <param name="Record">The analysis record (null when not applicable).</param>
public sealed record IterationAnalysisResult(
    string Analysis,
    int Iteration,
    AnalysisStatus Status,
    string RunDirectory,
    AnalysisRecord? Record,
    TimeSpan Elapsed,
    string? Note = null)
{
    /// <summary>Absolute paths of every written file (pictures and data).</summary>
    public IReadOnlyList<string> Files => Record is null ? [] : [.. Record.Files().Select(Absolute)];

    /// <summary>Absolute path of a record path.</summary>
    public string Absolute(string relative) => Path.GetFullPath(Path.Combine(RunDirectory, relative));
}
