using System.Collections;
using Grid.Engine.IO;

namespace Grid.Engine.Data;

/// <summary>
/// Downsampled ImageNet (Chrabaszcz et al. 2017), ImageNet32 or ImageNet64: training batches
/// train_data_batch_1..10 and validation val_data, each a python pickle of a dict with "data" (uint8 ndarray
/// [N, 3*H*W], channel-major), "labels" (python list of ints 1..1000) and, in the training batches, "mean"
/// (float ndarray of 3*H*W values, the per-pixel mean of the whole training set in 0..255 units), or the same
/// keys in train_data_batch_N.npz / val_data.npz. The format of each file is detected from its content
/// (zip vs pickle). Files are looked up in the directory and its immediate subdirectories (the archives
/// unpack to Imagenet32_train/ and Imagenet32_val/). Labels become 0..999. The normalisation mean is the
/// shipped one, from train_data_batch_1. Each batch file becomes one chunk of the dataset storage.
/// </summary>
public sealed class ImageNetLoader
{
    public const int ClassCount = 1000;
    public const int TrainBatchCount = 10;
    public const string ValidationName = "val_data";

    /// <summary>The eleven batches, pickle names (each may also be stored as name.npz).</summary>
    public static IReadOnlyList<string> Files { get; } = [.. Enumerable.Range(1, TrainBatchCount).Select(TrainBatchName), ValidationName];

    /// <summary>Every name a file of the dataset may have (pickle or .npz).</summary>
    public static IReadOnlyList<string> FileNames { get; } = [.. Files.SelectMany(f => new[] { f, f + ".npz" })];

    public ImageNetLoader(int imageSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(imageSize, 1);
        Shape = new ImageShape(3, imageSize, imageSize);
    }

    public ImageShape Shape { get; }

    public static string TrainBatchName(int index) => $"train_data_batch_{index}";

    /// <summary>The file of batch <paramref name="name"/> (pickle, or name.npz) in the directory or an immediate subdirectory; null when absent.</summary>
    public static string? Find(string directory, string name) => DatasetFiles.Find(directory, name, name + ".npz");

    public DatasetSplit Load(string directory)
    {
        DatasetFiles.RequireDirectory(directory);
        string[] trainFiles = [.. Enumerable.Range(1, TrainBatchCount).Select(i => Locate(directory, TrainBatchName(i)))];
        string validationFile = Locate(directory, ValidationName);

        float[]? mean = null;
        ChunkedImageBuilder? builder = null;
        var labels = new List<int>();
        foreach (string file in trainFiles)
        {
            var batch = ReadBatch(file);
            if (mean is null)
            {
                mean = batch.Mean ?? throw new DatasetException(file, "no 'mean' (the training batches ship the per-pixel training mean)");
            }

            builder ??= new ChunkedImageBuilder(Shape, Math.Max(1, batch.Count));
            builder.Add(batch.Images, batch.Count);
            labels.AddRange(batch.Labels);
        }

        var train = builder!.Build([.. labels], ClassCount, Path.GetDirectoryName(trainFiles[0])!);
        var val = ReadBatch(validationFile);
        var validation = new ImageDataset(Shape, val.Images, val.Labels, ClassCount, validationFile);
        return new DatasetSplit(train, validation, mean!);
    }

    /// <summary>
    /// Checks that the eleven files exist and look right without reading the images: .npz headers (dtype and shape
    /// of data, labels and mean) and the labels themselves (in 1..1000), or for pickles the protocol opcode (a
    /// pickle's labels and counts are known only once the whole batch is unpickled: then the counts are null).
    /// </summary>
    public DatasetCounts? Validate(string directory)
    {
        DatasetFiles.RequireDirectory(directory);
        int? train = 0;
        for (int i = 1; i <= TrainBatchCount; i++)
        {
            train += ValidateFile(Locate(directory, TrainBatchName(i)), requireMean: i == 1);
        }

        int? validation = ValidateFile(Locate(directory, ValidationName), requireMean: false);
        return train is { } t && validation is { } v ? new DatasetCounts(t, v) : null;
    }

    /// <summary>Reads one batch file (pickle or .npz) and validates shape, label count and label range.</summary>
    public ImageNetBatch ReadBatch(string file)
    {
        if (!File.Exists(file))
        {
            throw new DatasetException(file, "missing dataset file");
        }

        IReadOnlyDictionary<string, object?> content;
        try
        {
            content = NpzFile.LooksLikeZip(file) ? ReadNpz(file) : ReadPickle(file);
        }
        catch (NpyFormatException e)
        {
            throw new DatasetException(e.File, e.Problem);
        }

        var data = content.GetValueOrDefault("data") as NpyArray ?? throw new DatasetException(file, "no 'data' array");
        if (data.Dtype != NpyDtype.UInt8 || data.Rank != 2 || data.Shape[1] != Shape.Features)
        {
            throw new DatasetException(file, $"'data' is {data.Dtype.ToString().ToLowerInvariant()} [{string.Join(", ", data.Shape)}], expected uint8 [N, {Shape.Features}] for {Shape} images");
        }

        int count = (int)data.Shape[0];
        long[] raw = content.GetValueOrDefault("labels") switch
        {
            NpyArray { Rank: 1 } array when array.Dtype.IsInteger() => array.ToInt64(),
            ArrayList list => ToLabels(file, list),
            null => throw new DatasetException(file, "no 'labels'"),
            var other => throw new DatasetException(file, $"'labels' is a {Describe(other)}, expected a list of integers"),
        };
        if (raw.Length != count)
        {
            throw new DatasetException(file, $"{raw.Length} labels but {count} images");
        }

        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            if (raw[i] is < 1 or > ClassCount)
            {
                throw new DatasetException(file, $"label {raw[i]} at index {i} is outside 1..{ClassCount}");
            }

            labels[i] = (int)raw[i] - 1;
        }

        float[]? mean = null;
        if (content.GetValueOrDefault("mean") is NpyArray meanArray)
        {
            if (meanArray.Count != Shape.Features)
            {
                throw new DatasetException(file, $"'mean' has {meanArray.Count} values, expected {Shape.Features}");
            }

            mean = [.. meanArray.ToDouble().Select(v => (float)v)];
        }

        return new ImageNetBatch(data.As<byte>(), count, labels, mean);
    }

    private static string Locate(string directory, string name) => DatasetFiles.Require(directory, name, name + ".npz");

    private static Dictionary<string, object?> ReadNpz(string file) =>
        NpzFile.Read(file).ToDictionary(kv => kv.Key, kv => (object?)kv.Value);

    private static Dictionary<string, object?> ReadPickle(string file)
    {
        if (!NumpyPickle.LooksLikePickle(file))
        {
            throw new DatasetException(file, "neither a pickle (protocol 2+) nor an .npz archive");
        }

        if (NumpyPickle.Load(file) is not Hashtable dict)
        {
            throw new DatasetException(file, "the pickle does not hold a dict");
        }

        var result = new Dictionary<string, object?>();
        foreach (DictionaryEntry entry in dict)
        {
            string key = entry.Key switch
            {
                string s => s,
                byte[] b => System.Text.Encoding.Latin1.GetString(b),
                var other => other.ToString() ?? "",
            };
            result[key] = entry.Value;
        }

        return result;
    }

    private static long[] ToLabels(string file, ArrayList list)
    {
        var labels = new long[list.Count];
        for (int i = 0; i < list.Count; i++)
        {
            labels[i] = list[i] switch
            {
                int v => v,
                long v => v,
                var other => throw new DatasetException(file, $"label at index {i} is a {Describe(other)}, expected an integer"),
            };
        }

        return labels;
    }

    private static string Describe(object? value) => value?.GetType().Name ?? "None";

    /// <summary>The file's image count (null for a pickle).</summary>
    private int? ValidateFile(string file, bool requireMean)
    {
        if (!NpzFile.LooksLikeZip(file))
        {
            if (!NumpyPickle.LooksLikePickle(file))
            {
                throw new DatasetException(file, "neither a pickle (protocol 2+) nor an .npz archive");
            }

            return null;
        }

        IReadOnlyDictionary<string, NpyHeader> headers;
        try
        {
            headers = NpzFile.ReadHeaders(file);
        }
        catch (NpyFormatException e)
        {
            throw new DatasetException(e.File, e.Problem);
        }

        var data = headers.GetValueOrDefault("data") ?? throw new DatasetException(file, "no 'data' array");
        if (data.Dtype != NpyDtype.UInt8 || data.Shape.Length != 2 || data.Shape[1] != Shape.Features)
        {
            throw new DatasetException(file, $"'data' is {data.Dtype.ToString().ToLowerInvariant()} [{string.Join(", ", data.Shape)}], expected uint8 [N, {Shape.Features}] for {Shape} images");
        }

        var labels = headers.GetValueOrDefault("labels") ?? throw new DatasetException(file, "no 'labels' array");
        if (labels.ElementCount != data.Shape[0])
        {
            throw new DatasetException(file, $"{labels.ElementCount} labels but {data.Shape[0]} images");
        }

        if (requireMean)
        {
            var mean = headers.GetValueOrDefault("mean") ?? throw new DatasetException(file, "no 'mean' array");
            if (mean.ElementCount != Shape.Features)
            {
                throw new DatasetException(file, $"'mean' has {mean.ElementCount} values, expected {Shape.Features}");
            }
        }

        ValidateLabels(file);
        return (int)data.Shape[0];
    }

    private static void ValidateLabels(string file)
    {
        NpyArray labels;
        try
        {
            labels = NpzFile.Read(file, "labels")["labels"];
        }
        catch (NpyFormatException e)
        {
            throw new DatasetException(e.File, e.Problem);
        }

        if (!labels.Dtype.IsInteger())
        {
            throw new DatasetException(file, $"'labels' is {labels.Dtype}, expected integers");
        }

        long[] values = labels.ToInt64();
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] is < 1 or > ClassCount)
            {
                throw new DatasetException(file, $"label {values[i]} at index {i} is outside 1..{ClassCount}");
            }
        }
    }
}
