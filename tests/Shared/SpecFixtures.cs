using System.Text;

namespace Grid.Tests.Shared;

/// <summary>Sweep files and data files that probe the input checks, written by the tests themselves.</summary>
public static class SpecFixtures
{
    /// <summary>A tiny valid experiment base (fast to check; never trained by these tests).</summary>
    public const string TinyBase = """
        name: probe
        base:
          network: {hidden: [8]}
          training: {steps: 10, batch_size: 100, validate_every: 5}
          pruning: {rewind_step: 1, max_iterations: 1}

        """;

    /// <summary>
    /// The "billion laughs" of YAML: x0 is a list of 10 values, each x(i) a list of 10 aliases of x(i-1), so x(levels)
    /// stands for 10^(levels+1) values in a few hundred bytes.
    /// </summary>
    public static string AliasBomb(int levels)
    {
        var text = new StringBuilder("name: bomb\nx0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n");
        for (int i = 1; i <= levels; i++)
        {
            text.Append($"x{i}: &a{i} [").AppendJoin(", ", Enumerable.Repeat($"*a{i - 1}", 10)).Append("]\n");
        }

        return text.ToString();
    }

    /// <summary>One seed axis with <paramref name="values"/> values (7 bytes or so each).</summary>
    public static string LongAxis(int values) =>
        "name: axis\nmatrix:\n  - field: seed\n    values: [" + string.Join(", ", Enumerable.Range(0, values)) + "]\n";

    /// <summary>Axes over seed, training.steps, training.batch_size, ... each with <paramref name="valuesPerAxis"/> values.</summary>
    public static string WideMatrix(int axes, int valuesPerAxis)
    {
        string[] fields = ["seed", "training.steps", "training.batch_size", "pruning.max_iterations"];
        var text = new StringBuilder("name: wide\nmatrix:\n");
        foreach (string field in fields.Take(axes))
        {
            text.Append($"  - field: {field}\n    values: [").AppendJoin(", ", Enumerable.Range(1, valuesPerAxis)).Append("]\n");
        }

        return text.ToString();
    }

    /// <summary>
    /// An MNIST-format dataset (the four raw IDX files, 28x28 images) in <paramref name="directory"/>: labels cycle
    /// 0..9, except that <paramref name="badLabel"/>, when given, replaces the last training label.
    /// </summary>
    public static void WriteMnist(string directory, int train, int validation, byte? badLabel = null)
    {
        Directory.CreateDirectory(directory);
        var trainLabels = Enumerable.Range(0, train).Select(i => (byte)(i % 10)).ToArray();
        if (badLabel is { } bad)
        {
            trainLabels[^1] = bad;
        }

        File.WriteAllBytes(Path.Combine(directory, "train-images-idx3-ubyte"), IdxEncoding.Encode(0x803, [train, 28, 28], new byte[train * 784]));
        File.WriteAllBytes(Path.Combine(directory, "train-labels-idx1-ubyte"), IdxEncoding.Encode(0x801, [train], trainLabels));
        File.WriteAllBytes(Path.Combine(directory, "t10k-images-idx3-ubyte"), IdxEncoding.Encode(0x803, [validation, 28, 28], new byte[validation * 784]));
        File.WriteAllBytes(Path.Combine(directory, "t10k-labels-idx1-ubyte"),
            IdxEncoding.Encode(0x801, [validation], [.. Enumerable.Range(0, validation).Select(i => (byte)(i % 10))]));
    }
}
