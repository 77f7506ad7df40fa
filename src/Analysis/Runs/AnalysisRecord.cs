using System.Text.Json;
using Grid.Engine.IO;

namespace Grid.Analysis.Runs;

/// <summary>A picture an analysis wrote and the numbers beside it; paths relative to the run directory, '/'-separated.</summary>
public sealed record AnalysisFigure(string Image, string Data, string Caption);

/// <summary>
/// &lt;name&gt;.done.json: written atomically after every file of an analysis, so its presence (with the files it lists)
/// means the analysis is complete and must not be computed again.
/// </summary>
public sealed record AnalysisRecord
{
    public required string Analysis { get; init; }
    public required int Version { get; init; }
    public required int Iteration { get; init; }
    public required DateTimeOffset Completed { get; init; }
    public required double Seconds { get; init; }
    public IReadOnlyList<AnalysisFigure> Figures { get; init; } = [];

    /// <summary>Other outputs (e.g. the locality summary JSON), relative to the run directory.</summary>
    public IReadOnlyList<string> DataFiles { get; init; } = [];

    public string? Note { get; init; }

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary>Every file the record lists, relative to the run directory.</summary>
    public IEnumerable<string> Files() => Figures.SelectMany(f => new[] { f.Image, f.Data }).Concat(DataFiles);

    public void Save(string path) => AtomicFile.WriteText(path, JsonSerializer.Serialize(this, Json));

    /// <summary>
    /// The record at <paramref name="path"/> when it is readable, of this <paramref name="version"/>, and every file it
    /// lists exists under <paramref name="runDirectory"/>; otherwise null (the analysis has to run).
    /// </summary>
    public static AnalysisRecord? ReadComplete(string path, string runDirectory, int version)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        AnalysisRecord? record;
        try
        {
            record = JsonSerializer.Deserialize<AnalysisRecord>(File.ReadAllText(path), Json);
        }
        catch (JsonException)
        {
            return null;
        }
        catch (IOException)
        {
            return null;
        }
        return record is not null && record.Version == version && record.Files().All(f => File.Exists(Path.Combine(runDirectory, f)))
            ? record
            : null;
    }
}
