namespace Grid.Engine.Runs;

/// <summary>A stored artifact of a finished iteration is missing, truncated or changed: the iteration (and every
/// iteration that depends on it) has to be trained again. The message names the file and what is wrong with it.</summary>
public sealed class CorruptArtifactException(string file, string problem)
    : IOException($"{file}: {problem}")
{
    public string File { get; } = file;
    public string Problem { get; } = problem;

    public CorruptArtifactException(IntegrityProblem problem)
        : this(problem.File, problem.Problem)
    {
    }
}
