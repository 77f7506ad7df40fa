using System.Diagnostics;
using System.Globalization;

namespace Grid.Client.Data;

/// <summary>
/// Where a fetch or an import assembles a dataset before it is placed: a hidden sibling of the target directory
/// (<c>.NAME.partial-PID-RANDOM</c>, on the same file system, so that placing it is one rename). Disposing removes it
/// unless it was placed, so a failed or interrupted attempt leaves nothing half-written; staging directories that a
/// killed process left behind are removed by the next attempt.
/// </summary>
public sealed class StagingDirectory : IDisposable
{
    private const string Marker = ".partial-";
    private bool _placed;

    private StagingDirectory(string path, string target)
    {
        Path = path;
        Target = target;
    }

    public string Path { get; }

    public string Target { get; }

    /// <summary>Creates the staging directory of <paramref name="target"/> (and the target's parent).</summary>
    public static StagingDirectory For(string target)
    {
        target = System.IO.Path.GetFullPath(target);
        string parent = System.IO.Path.GetDirectoryName(target) ?? throw new DataFetchException($"{target}: not a directory a dataset can go in");
        string leaf = System.IO.Path.GetFileName(target);
        try
        {
            Directory.CreateDirectory(parent);
            RemoveAbandoned(parent, leaf);
            string path = System.IO.Path.Combine(parent,
                $".{leaf}{Marker}{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid().ToString("N")[..8]}");
            Directory.CreateDirectory(path);
            return new StagingDirectory(path, target);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new DataFetchException($"{parent}: cannot create the directory the dataset is assembled in: {error.Message}", error);
        }
    }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Moves the assembled dataset to the target, which must not exist or be empty.</summary>
    public void Place()
    {
        try
        {
            if (Directory.Exists(Target))
            {
                Directory.Delete(Target); // empty (checked by the caller); fails otherwise, and nothing is lost
            }

            Directory.Move(Path, Target);
            _placed = true;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new DataFetchException($"{Target}: cannot place the dataset there: {error.Message}", error);
        }
    }

    public void Dispose()
    {
        if (!_placed && Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }

    /// <summary>Staging directories of the same target whose process is gone (killed before it could clean up).</summary>
    private static void RemoveAbandoned(string parent, string leaf)
    {
        foreach (string directory in Directory.EnumerateDirectories(parent, $".{leaf}{Marker}*"))
        {
            string rest = System.IO.Path.GetFileName(directory)[$".{leaf}{Marker}".Length..];
            if (int.TryParse(rest.Split('-')[0], NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && !IsRunning(pid))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
