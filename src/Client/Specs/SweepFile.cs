using System.Text.Json.Nodes;
using Grid.Engine.Sweeps;

namespace Grid.Client.Specs;

/// <summary>A sweep file read and checked completely: the document for the coordinator, its runs, or every error.</summary>
public sealed record SweepFile(string Source, string Text, JsonNode? Document, SweepCompilation? Compilation, IReadOnlyList<SpecError> Errors)
{
    public bool IsValid => Errors.Count == 0 && Compilation is { IsValid: true };

    public SweepDefinition Sweep => Compilation!.Require();

    public IReadOnlyList<RunPlan> Runs => Compilation?.Runs ?? [];

    public static SweepFile Load(string path, SweepCheckOptions? options = null, YamlLimits? limits = null)
    {
        limits ??= YamlLimits.Default;
        if (Directory.Exists(path))
        {
            return Unreadable(path, $"'{path}' is a directory; give the sweep file (YAML) itself");
        }

        if (!File.Exists(path))
        {
            return Unreadable(path, $"'{path}' does not exist");
        }

        string? text;
        try
        {
            text = ReadAtMost(path, limits.MaxBytes);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return Unreadable(path, $"cannot read '{path}': {error.Message}");
        }

        return text is null
            ? Unreadable(path, $"'{path}' is larger than {limits.MaxBytes / 1024:N0} KiB, the limit for a sweep file (a 10,000-run axis takes about 60 KB)")
            : Parse(text, path, options, limits);
    }

    /// <param name="options">Null: every check, analysis names against the analysis registry.</param>
    public static SweepFile Parse(string text, string source = "(text)", SweepCheckOptions? options = null, YamlLimits? limits = null)
    {
        options ??= Grains.Sweeps.SweepChecks.Options(checkFiles: true);
        var yaml = YamlDocument.Parse(text, limits);
        if (yaml.Errors.Count > 0)
        {
            return new SweepFile(source, text, null, null, yaml.Errors);
        }

        var compilation = SweepCompiler.Compile(yaml.Root?.DeepClone(), options);
        var errors = compilation.Errors.Select(e => e with { Line = yaml.LineOf(e.Path) }).ToList();
        return new SweepFile(source, text, yaml.Root, compilation, errors);
    }

    private static SweepFile Unreadable(string path, string message) => new(path, "", null, null, [new SpecError("(file)", message)]);

    /// <summary>The file's text, or null when it holds more than <paramref name="maxBytes"/> bytes (read no further:
    /// the file may be endless, like /dev/zero, or a pipe).</summary>
    private static string? ReadAtMost(string path, long maxBytes)
    {
        var buffer = new byte[maxBytes + 1];
        int total = 0;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1))
        {
            for (int read; total < buffer.Length && (read = stream.Read(buffer, total, buffer.Length - total)) > 0;)
            {
                total += read;
            }
        }

        if (total > maxBytes)
        {
            return null;
        }

        using var reader = new StreamReader(new MemoryStream(buffer, 0, total), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }
}
