using System.IO.Compression;

namespace Grid.Engine.Data;

/// <summary>Locating and reading dataset files, with errors that name the file.</summary>
internal static class DatasetFiles
{
    /// <summary>
    /// The first of <paramref name="names"/> found in <paramref name="directory"/> or, failing that, in one of
    /// its immediate subdirectories (in ordinal order), e.g. cifar-10-batches-bin/ or Imagenet32_train/.
    /// </summary>
    public static string? Find(string directory, params string[] names)
    {
        foreach (string name in names)
        {
            string direct = Path.Combine(directory, name);
            if (File.Exists(direct))
            {
                return direct;
            }
        }

        if (!Directory.Exists(directory))
        {
            return null;
        }

        var subdirectories = Directory.GetDirectories(directory);
        Array.Sort(subdirectories, StringComparer.Ordinal);
        foreach (string subdirectory in subdirectories)
        {
            foreach (string name in names)
            {
                string nested = Path.Combine(subdirectory, name);
                if (File.Exists(nested))
                {
                    return nested;
                }
            }
        }

        return null;
    }

    /// <summary>Like <see cref="Find"/> but a missing file is a <see cref="DatasetException"/>.</summary>
    public static string Require(string directory, params string[] names) =>
        Find(directory, names) ?? throw new DatasetException(
            Path.Combine(directory, names[0]),
            names.Length == 1
                ? "missing dataset file"
                : $"missing dataset file (looked for {string.Join(" or ", names)} here and in the subdirectories)");

    public static void RequireDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DatasetException(directory, "dataset directory not found");
        }
    }

    /// <summary>True when the file starts with the gzip magic number 1f 8b (whatever its extension).</summary>
    public static bool IsGzip(string path)
    {
        using var stream = File.OpenRead(path);
        return stream.ReadByte() == 0x1f && stream.ReadByte() == 0x8b;
    }

    /// <summary>The file's content stream, transparently gunzipped when it is gzip data.</summary>
    public static Stream OpenContent(string path)
    {
        bool gzip = IsGzip(path);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    /// <summary>Reads exactly buffer.Length bytes; a short read is a "truncated" error naming the file.</summary>
    public static void ReadExactly(Stream stream, Span<byte> buffer, string file, string what)
    {
        int total = 0;
        try
        {
            while (total < buffer.Length)
            {
                int read = stream.Read(buffer[total..]);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }
        }
        catch (InvalidDataException e)
        {
            throw new DatasetException(file, $"corrupt compressed data in the {what}: {e.Message}");
        }

        if (total < buffer.Length)
        {
            throw new DatasetException(file, $"truncated: the {what} needs {buffer.Length} bytes but only {total} remain");
        }
    }

    /// <summary>Requires that the stream has nothing after the expected content.</summary>
    public static void RequireEnd(Stream stream, string file, long expectedBytes)
    {
        int next;
        try
        {
            next = stream.ReadByte();
        }
        catch (InvalidDataException e)
        {
            throw new DatasetException(file, $"corrupt compressed data: {e.Message}");
        }

        if (next != -1)
        {
            throw new DatasetException(file, $"unexpected data after the expected {expectedBytes} bytes (wrong header or wrong file)");
        }
    }
}
