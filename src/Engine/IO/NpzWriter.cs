using System.IO.Compression;

namespace Grid.Engine.IO;

/// <summary>
/// Writes numpy .npz archives (one "&lt;key&gt;.npy" entry per array) that np.load reads. The file is
/// written atomically: to a temporary file in the same directory, then renamed over the target, so a
/// reader sees either the previous file or the complete new one, never a partial archive.
/// </summary>
public static class NpzWriter
{
    /// <param name="compress">Deflate the entries (np.savez_compressed); stored otherwise (np.savez).</param>
    public static void Write(string path, IReadOnlyDictionary<string, NpyArray> arrays, bool compress = false)
    {
        ArgumentNullException.ThrowIfNull(arrays);
        foreach (string key in arrays.Keys)
        {
            if (string.IsNullOrEmpty(key) || key.Contains('/') || key.Contains('\\'))
            {
                throw new ArgumentException($"invalid array key '{key}'", nameof(arrays));
            }
        }

        AtomicFile.Write(path, file =>
        {
            using var archive = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true);
            var level = compress ? CompressionLevel.Optimal : CompressionLevel.NoCompression;
            foreach (var (key, array) in arrays)
            {
                using var entry = archive.CreateEntry(key + ".npy", level).Open();
                Npy.Write(entry, array);
            }
        });
    }
}
