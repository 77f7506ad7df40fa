using System.Security.Cryptography;

namespace Grid.Tests.Support;

/// <summary>Every file under a directory: relative path ('/'-separated) → size, mtime and SHA-256.</summary>
public static class FileTree
{
    public static SortedDictionary<string, (long Bytes, DateTime Modified, string Sha256)> Snapshot(string root, Func<string, bool>? include = null)
    {
        var files = new SortedDictionary<string, (long, DateTime, string)>(StringComparer.Ordinal);
        if (!Directory.Exists(root))
        {
            return files;
        }

        foreach (string file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            if (include is null || include(relative))
            {
                files[relative] = (new FileInfo(file).Length, File.GetLastWriteTimeUtc(file), Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file))));
            }
        }

        return files;
    }

    /// <summary>Flips the last byte of a file (same size; the modification time moves on by a second).</summary>
    public static void FlipLastByte(string path)
    {
        var modified = File.GetLastWriteTimeUtc(path);
        using (var stream = new FileStream(path, FileMode.Open))
        {
            stream.Seek(-1, SeekOrigin.End);
            int last = stream.ReadByte();
            stream.Seek(-1, SeekOrigin.End);
            stream.WriteByte((byte)(last ^ 0xff));
        }

        File.SetLastWriteTimeUtc(path, modified + TimeSpan.FromSeconds(1));
    }

    public static void Truncate(string path, long length)
    {
        using var stream = new FileStream(path, FileMode.Open);
        stream.SetLength(length);
    }
}
