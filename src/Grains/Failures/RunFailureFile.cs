using System.Text.Json;
using Grid.Engine.IO;
using Grid.Engine.Specs;

namespace Grid.Grains.Failures;

/// <summary>Why the grid gave up on a run, as recorded in its directory.</summary>
/// <param name="Kind">"permanent", or "transient" / "corrupt-artifact" when retries ran out.</param>
public sealed record RunFailureRecord(int Iteration, string Kind, string Reason, DateTimeOffset FailedAt)
{
    /// <summary>"iteration 2: reason", as shown by status and summary.csv.</summary>
    public string Describe() => Iteration >= 0 ? $"iteration {Iteration}: {Reason}" : Reason;
}

/// <summary>
/// failure.json in a run directory: present while the run has failed, so that a coordinator or `grid status` reading
/// the results store later sees the failure and its reason instead of a run waiting to be resumed, and nothing retries
/// it by itself. Written atomically when a run fails; removed when its sweep is submitted again.
/// </summary>
public static class RunFailureFile
{
    public const string FileName = "failure.json";

    public static string PathOf(string runDirectory) => Path.Combine(runDirectory, FileName);

    public static RunFailureRecord? Read(string runDirectory)
    {
        string path = PathOf(runDirectory);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return SpecJson.Parse<RunFailureRecord>(File.ReadAllText(path));
        }
        catch (JsonException error)
        {
            return new RunFailureRecord(-1, "unknown", $"{path}: unreadable ({error.Message})", File.GetLastWriteTimeUtc(path));
        }
    }

    public static void Write(string runDirectory, RunFailureRecord failure) =>
        AtomicFile.WriteText(PathOf(runDirectory), JsonSerializer.Serialize(failure, SpecJson.Indented));

    public static void Clear(string runDirectory) => File.Delete(PathOf(runDirectory));
}
