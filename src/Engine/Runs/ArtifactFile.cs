namespace Grid.Engine.Runs;

/// <summary>One file a finished iteration recorded in its summary.json: path relative to the run directory
/// ('/'-separated), size and SHA-256 (lower-case hex) as written.</summary>
public sealed record ArtifactFile(string File, long Bytes, string Sha256);
