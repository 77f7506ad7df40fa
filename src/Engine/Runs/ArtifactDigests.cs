using System.Collections.Concurrent;
using System.Security.Cryptography;
using Grid.Engine.IO;

namespace Grid.Engine.Runs;

/// <summary>
/// SHA-256 of artifact files. A process hashes a file once for as long as its size and modification time stay the
/// same (resume, the analyses and the report of one embedded run all verify the same files); any write, truncation
/// or replacement changes one of them and the file is hashed again. Files are known by their inode where the system
/// tells it (<see cref="FileIdentity"/>), so the run store's files and their hard links in run directories are hashed
/// once, not once per name.
/// </summary>
public static class ArtifactDigests
{
    private const int MaxCached = 100_000;
    private static readonly ConcurrentDictionary<object, (long Bytes, DateTime Modified, string Sha256)> Cache = new();

    /// <summary>The record of <paramref name="relative"/> (a path under <paramref name="runDirectory"/>) as it is now.</summary>
    public static ArtifactFile Describe(string runDirectory, string relative)
    {
        var (bytes, sha256) = Of(Path.Combine(runDirectory, relative));
        return new ArtifactFile(relative, bytes, sha256);
    }

    /// <summary>Size and SHA-256 of a file; <see cref="FileNotFoundException"/> when it does not exist.</summary>
    public static (long Bytes, string Sha256) Of(string path)
    {
        string full = Path.GetFullPath(path);
        var info = new FileInfo(full);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"{full}: missing", full);
        }

        object key = FileIdentity.Of(full) is { } identity ? identity.Id : full;
        if (Cache.TryGetValue(key, out var known) && known.Bytes == info.Length && known.Modified == info.LastWriteTimeUtc)
        {
            return (known.Bytes, known.Sha256);
        }

        string sha256;
        using (var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16))
        {
            sha256 = Convert.ToHexStringLower(SHA256.HashData(stream));
        }

        if (Cache.Count >= MaxCached)
        {
            Cache.Clear();
        }

        Cache[key] = (info.Length, info.LastWriteTimeUtc, sha256);
        return (info.Length, sha256);
    }
}
