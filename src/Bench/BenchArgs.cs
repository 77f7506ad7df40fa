using System.Globalization;

namespace Grid.Bench;

/// <summary>The options of a benchmark command: <c>--name value</c> pairs and <c>--flag</c>s.</summary>
public sealed class BenchArgs(string[] args)
{
    public string? Text(string name)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    public int Int(string name, int fallback) => Text(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) => Text(name) is { } value ? double.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public bool Flag(string name) => args.Contains(name);
}
