using System.Text.Json.Nodes;
using Grid.Engine.Sweeps;

namespace Grid.Client.Specs;

/// <summary>A sweep file read and checked completely, with any command-line overrides applied (see
/// <see cref="SpecOverrides"/>): the document for the coordinator, its runs, or every error.</summary>
public sealed record SweepFile(string Source, string Text, JsonNode? Document, SweepCompilation? Compilation, IReadOnlyList<SpecError> Errors)
{
    /// <summary>The overrides as given, in order.</summary>
    public IReadOnlyList<string> Overrides { get; init; } = [];

    /// <summary>What each override did, for people (--dry-run).</summary>
    public IReadOnlyList<string> OverrideDescriptions { get; init; } = [];

    /// <summary>What could not be checked here (a dataset absent on this machine, with --dry-run), located like the errors.</summary>
    public IReadOnlyList<SpecError> Warnings { get; init; } = [];

    public bool IsValid => Errors.Count == 0 && Compilation is { IsValid: true };

    /// <summary>The text kept as the sweep's sweep.yaml: the file as written, or, with overrides, the document they
    /// produced (which reads back to the same sweep) under a header naming the file and the overrides.</summary>
    public string StoredText => Overrides.Count == 0 ? Text : YamlWriter.Write(Document,
    [
        $"{Source} with the command-line overrides {string.Join(" ", Overrides)}",
        "(written by `grid run`: the file with the overrides applied; the file itself is unchanged)",
    ]);

    public SweepDefinition Sweep => Compilation!.Require();

    public IReadOnlyList<RunPlan> Runs => Compilation?.Runs ?? [];

    public static SweepFile Load(string path, SweepCheckOptions? options = null, YamlLimits? limits = null, IReadOnlyList<string>? overrides = null)
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
            : Parse(text, path, options, limits, overrides);
    }

    /// <param name="options">Null: every check, analysis names against the analysis registry.</param>
    /// <param name="overrides">Command-line overrides (key=value, key=v1,v2,...), applied to the file's document
    /// before it is checked; an error at a value one of them set names it instead of a line.</param>
    public static SweepFile Parse(string text, string source = "(text)", SweepCheckOptions? options = null, YamlLimits? limits = null, IReadOnlyList<string>? overrides = null)
    {
        options ??= Grains.Sweeps.SweepChecks.Options(checkFiles: true);
        overrides ??= [];
        var parsed = overrides.Select(o => SpecOverride.Parse(o, limits)).ToList();
        var yaml = YamlDocument.Parse(text, limits);
        var syntax = parsed.Select(p => p.Error).OfType<SpecError>().ToList();
        if (yaml.Errors.Count > 0 || syntax.Count > 0)
        {
            return new SweepFile(source, text, null, null, [.. yaml.Errors, .. syntax]) { Overrides = overrides };
        }

        var document = yaml.Root?.DeepClone();
        var applied = SpecOverrides.Apply(document, [.. parsed.Select(p => p.Override!)]);
        var compilation = SweepCompiler.Compile(document?.DeepClone(), options);
        SpecError Locate(SpecError e) => applied.OriginOf(e.Path) is { } origin ? e with { Override = origin } : e with { Line = yaml.LineOf(e.Path) };
        var errors = applied.Errors.Concat(compilation.Errors.Select(Locate)).ToList();
        return new SweepFile(source, text, document, compilation, errors)
        {
            Overrides = overrides,
            OverrideDescriptions = applied.Descriptions,
            Warnings = [.. compilation.Warnings.Select(Locate)],
        };
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
