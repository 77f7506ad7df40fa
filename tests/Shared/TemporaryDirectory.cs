namespace Grid.Tests.Shared;

/// <summary>A fresh directory under the system's temporary directory, deleted with everything in it on dispose.</summary>
public sealed class TemporaryDirectory : IDisposable
{
    public TemporaryDirectory(string prefix = "grid-test-") => Path = Directory.CreateTempSubdirectory(prefix).FullName;

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, string text)
    {
        string path = File(name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Every file and directory below, with size and write time: what a command left behind, to compare.</summary>
    public IReadOnlyList<string> Snapshot() =>
    [
        .. new DirectoryInfo(Path).EnumerateFileSystemInfos("*", SearchOption.AllDirectories)
            .Select(e => $"{System.IO.Path.GetRelativePath(Path, e.FullName)} {(e is FileInfo f ? f.Length : -1)} {e.LastWriteTimeUtc:O}")
            .Order(StringComparer.Ordinal),
    ];

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
