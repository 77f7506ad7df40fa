namespace Grid.Engine.IO;

/// <summary>A malformed .npy/.npz file or pickled array; the message names the file and the problem.</summary>
public sealed class NpyFormatException(string file, string problem)
    : IOException($"{file}: {problem}")
{
    public string File { get; } = file;
    public string Problem { get; } = problem;
}
