using System.IO.Compression;

namespace Grid.Engine.IO;

/// <summary>
/// Reads numpy .npz archives: a zip of "&lt;key&gt;.npy" entries, stored or deflated (np.savez and
/// np.savez_compressed). Every error is an <see cref="NpyFormatException"/> naming the file.
/// </summary>
public static class NpzFile
{
    private const string Extension = ".npy";

    /// <summary>True when the file starts like a zip archive (the .npz container), whatever its name.</summary>
    public static bool LooksLikeZip(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[4];
        return NpyHeader.ReadFully(stream, magic) == 4 && magic.SequenceEqual("PK\x03\x04"u8);
    }

    /// <summary>Every array of the archive, by key (entry name without ".npy").</summary>
    public static IReadOnlyDictionary<string, NpyArray> Read(string path) =>
        WithArchive(path, archive => archive.Entries
            .Where(e => e.FullName.EndsWith(Extension, StringComparison.Ordinal))
            .ToDictionary(e => KeyOf(e), e => ReadEntry(path, e)));

    /// <summary>The arrays with the given keys; a missing key is an error naming the file.</summary>
    public static IReadOnlyDictionary<string, NpyArray> Read(string path, params string[] keys) =>
        WithArchive(path, archive => keys.ToDictionary(k => k, k => ReadEntry(path, Entry(path, archive, k))));

    /// <summary>The array headers only (dtype and shape), without reading the data: a cheap check.</summary>
    public static IReadOnlyDictionary<string, NpyHeader> ReadHeaders(string path) =>
        WithArchive(path, archive => archive.Entries
            .Where(e => e.FullName.EndsWith(Extension, StringComparison.Ordinal))
            .ToDictionary(e => KeyOf(e), e =>
            {
                using var stream = e.Open();
                return Wrap(path, e, () => NpyHeader.Read(stream));
            }));

    /// <summary>True when two archives hold the same arrays byte for byte, whatever their zip metadata: the entries'
    /// times differ between two writes of the very same arrays.</summary>
    public static bool SameArrays(string a, string b) =>
        WithArchive(a, left => WithArchive(b, right =>
        {
            var names = left.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal).ToList();
            if (!names.SequenceEqual(right.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal)))
            {
                return false;
            }

            foreach (string name in names)
            {
                var (x, y) = (left.GetEntry(name)!, right.GetEntry(name)!);
                if (x.Length != y.Length)
                {
                    return false;
                }

                using var first = x.Open();
                using var second = y.Open();
                if (!SameBytes(first, second))
                {
                    return false;
                }
            }

            return true;
        }));

    private static bool SameBytes(Stream first, Stream second)
    {
        var (x, y) = (new byte[1 << 16], new byte[1 << 16]);
        while (true)
        {
            int read = first.ReadAtLeast(x, x.Length, throwOnEndOfStream: false);
            if (second.ReadAtLeast(y, y.Length, throwOnEndOfStream: false) != read || !x.AsSpan(0, read).SequenceEqual(y.AsSpan(0, read)))
            {
                return false;
            }

            if (read < x.Length)
            {
                return true;
            }
        }
    }

    private static T WithArchive<T>(string path, Func<ZipArchive, T> read)
    {
        if (!File.Exists(path))
        {
            throw new NpyFormatException(path, "file not found");
        }

        ZipArchive archive;
        try
        {
            archive = ZipFile.OpenRead(path);
        }
        catch (InvalidDataException e)
        {
            throw new NpyFormatException(path, $"not a readable .npz (zip) archive: {e.Message}");
        }

        using (archive)
        {
            try
            {
                return read(archive);
            }
            catch (InvalidDataException e)
            {
                throw new NpyFormatException(path, $"corrupt archive: {e.Message}");
            }
        }
    }

    private static ZipArchiveEntry Entry(string path, ZipArchive archive, string key) =>
        archive.GetEntry(key + Extension) ?? throw new NpyFormatException(path,
            $"no array '{key}' (has: {string.Join(", ", archive.Entries.Select(KeyOf))})");

    private static NpyArray ReadEntry(string path, ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        return Wrap(path, entry, () => Npy.Read(stream));
    }

    private static T Wrap<T>(string path, ZipArchiveEntry entry, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (InvalidDataException e)
        {
            throw new NpyFormatException(path, $"array '{KeyOf(entry)}': {e.Message}");
        }
    }

    private static string KeyOf(ZipArchiveEntry entry) =>
        entry.FullName.EndsWith(Extension, StringComparison.Ordinal) ? entry.FullName[..^Extension.Length] : entry.FullName;
}
