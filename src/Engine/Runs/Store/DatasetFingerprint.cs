using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Grid.Engine.Data;
using Grid.Engine.Specs;

namespace Grid.Engine.Runs.Store;

/// <summary>
/// What a dataset is, independent of where it lies: the names and sizes of its files and the SHA-256 of their first and
/// last MiB. The same files copied to another directory (or another silo's mount) give the same fingerprint; a
/// different download, a truncated file or another dataset give another. Reading the ends rather than whole files bounds
/// the work at 2 MiB per file, whatever its size. Computed once per file for as long as its size and time stay the same.
/// </summary>
public static class DatasetFingerprint
{
    private const int EdgeBytes = 1 << 20;
    private static readonly ConcurrentDictionary<string, (long Bytes, DateTime Modified, string Digest)> Files = new(StringComparer.Ordinal);

    /// <summary>16 hex digits; <see cref="DatasetException"/> (or <see cref="DatasetAbsentException"/>) when the dataset
    /// is not readable here.</summary>
    public static string Of(DatasetSpec dataset)
    {
        var source = DatasetCatalog.Source(dataset.Name);
        string directory = DatasetCatalog.ResolveDirectory(dataset);
        var found = source.FileNames
            .Select(name => Grid.Engine.Data.DatasetFiles.Find(directory, name))
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (found.Count == 0)
        {
            throw new DatasetException(directory, $"holds none of the {dataset.Name} files (such as {source.FileNames[0]})");
        }

        var text = new StringBuilder(dataset.Name).Append('\n');
        foreach (string file in found)
        {
            text.Append(Path.GetFileName(file)).Append(' ').Append(FileDigest(file)).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    /// <summary>The SHA-256 of a mapping file's content (the task's semantic classes), 16 hex digits.</summary>
    public static string OfFile(string path)
    {
        string full = Path.GetFullPath(path);
        return Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(full)))[..16];
    }

    private static string FileDigest(string path)
    {
        var info = new FileInfo(path);
        if (Files.TryGetValue(info.FullName, out var known) && known.Bytes == info.Length && known.Modified == info.LastWriteTimeUtc)
        {
            return known.Digest;
        }

        using var stream = new FileStream(info.FullName, FileMode.Open, FileAccess.Read, FileShare.Read);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[EdgeBytes];
        hash.AppendData(buffer, 0, stream.ReadAtLeast(buffer, EdgeBytes, throwOnEndOfStream: false));
        if (stream.Length > EdgeBytes)
        {
            stream.Seek(Math.Max(EdgeBytes, stream.Length - EdgeBytes), SeekOrigin.Begin);
            hash.AppendData(buffer, 0, stream.ReadAtLeast(buffer, EdgeBytes, throwOnEndOfStream: false));
        }

        string digest = $"{stream.Length}:{Convert.ToHexStringLower(hash.GetHashAndReset())[..32]}";
        Files[info.FullName] = (info.Length, info.LastWriteTimeUtc, digest);
        return digest;
    }
}
