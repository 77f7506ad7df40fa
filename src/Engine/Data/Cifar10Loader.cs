namespace Grid.Engine.Data;

/// <summary>
/// CIFAR-10, binary version: data_batch_1.bin .. data_batch_5.bin (training) and test_batch.bin (validation),
/// in the given directory or a subdirectory such as cifar-10-batches-bin/. Each record is one label byte
/// (0..9) followed by 3072 image bytes (3x32x32, channel-major). The mean is the per-pixel mean of the full
/// training set.
/// </summary>
public static class Cifar10Loader
{
    public const int ClassCount = 10;
    public static readonly ImageShape Shape = new(3, 32, 32);
    public static readonly IReadOnlyList<string> TrainFiles = [.. Enumerable.Range(1, 5).Select(i => $"data_batch_{i}.bin")];
    public const string TestFile = "test_batch.bin";

    /// <summary>The six batch files.</summary>
    public static IReadOnlyList<string> FileNames { get; } = [.. TrainFiles, TestFile];
    private static int RecordBytes => 1 + Shape.Features;

    public static DatasetSplit Load(string directory)
    {
        DatasetFiles.RequireDirectory(directory);
        string[] trainFiles = [.. TrainFiles.Select(name => DatasetFiles.Require(directory, name))];
        string testFile = DatasetFiles.Require(directory, TestFile);
        var train = LoadFiles(trainFiles, Path.GetDirectoryName(trainFiles[0])!);
        var validation = LoadFiles([testFile], testFile);
        return new DatasetSplit(train, validation, train.PixelMean());
    }

    /// <summary>Checks that the six files exist and hold a whole, non-zero number of records, and that every record's
    /// label byte is a class (one byte read per record, the images are skipped).</summary>
    public static DatasetCounts Validate(string directory)
    {
        DatasetFiles.RequireDirectory(directory);
        int train = 0;
        foreach (string name in TrainFiles)
        {
            train += ValidateLabels(DatasetFiles.Require(directory, name));
        }

        return new DatasetCounts(train, ValidateLabels(DatasetFiles.Require(directory, TestFile)));
    }

    private static int ValidateLabels(string file)
    {
        int records = RecordCount(file);
        using var handle = File.OpenHandle(file);
        Span<byte> label = stackalloc byte[1];
        for (int r = 0; r < records; r++)
        {
            if (RandomAccess.Read(handle, label, (long)r * RecordBytes) != 1)
            {
                throw new DatasetException(file, "changed while being read");
            }

            if (label[0] >= ClassCount)
            {
                throw new DatasetException(file, $"label {label[0]} of record {r} is outside 0..{ClassCount - 1}");
            }
        }

        return records;
    }

    /// <summary>The records of the given batch files, in order.</summary>
    public static ImageDataset LoadFiles(IReadOnlyList<string> files, string source)
    {
        var builder = new ChunkedImageBuilder(Shape, RecordCount(files[0]));
        var labels = new List<int>();
        foreach (string file in files)
        {
            int records = RecordCount(file);
            byte[] content = File.ReadAllBytes(file);
            if (content.Length != (long)records * RecordBytes)
            {
                throw new DatasetException(file, "changed while being read");
            }

            for (int r = 0; r < records; r++)
            {
                int offset = r * RecordBytes;
                int label = content[offset];
                if (label >= ClassCount)
                {
                    throw new DatasetException(file, $"label {label} of record {r} is outside 0..{ClassCount - 1}");
                }

                labels.Add(label);
                builder.Add(content.AsSpan(offset + 1, Shape.Features));
            }
        }

        return builder.Build([.. labels], ClassCount, source);
    }

    private static int RecordCount(string file)
    {
        if (!File.Exists(file))
        {
            throw new DatasetException(file, "missing dataset file");
        }

        long length = new FileInfo(file).Length;
        if (length == 0 || length % RecordBytes != 0)
        {
            throw new DatasetException(file, $"{length} bytes is not a whole number of {RecordBytes}-byte records (1 label + {Shape.Features} pixels); truncated or not a CIFAR-10 binary batch");
        }

        return (int)(length / RecordBytes);
    }
}
