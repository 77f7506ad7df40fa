using System.Text.Json.Nodes;
using Grid.Engine.Sweeps;

namespace Grid.Client.Specs;

/// <summary>A sweep file read and checked completely: the document for the coordinator, its runs, or every error.</summary>
public sealed record SweepFile(string Source, string Text, JsonNode? Document, SweepCompilation? Compilation, IReadOnlyList<SpecError> Errors)
{
    public bool IsValid => Errors.Count == 0 && Compilation is { IsValid: true };

    public SweepDefinition Sweep => Compilation!.Require();

    public IReadOnlyList<RunPlan> Runs => Compilation?.Runs ?? [];

    public static SweepFile Load(string path, SweepCheckOptions? options = null)
    {
        if (!File.Exists(path))
        {
            return new SweepFile(path, "", null, null, [new SpecError("(file)", $"'{path}' does not exist")]);
        }

        return Parse(File.ReadAllText(path), path, options);
    }

    /// <param name="options">Null: every check, analysis names against the analysis registry.</param>
    public static SweepFile Parse(string text, string source = "(text)", SweepCheckOptions? options = null)
    {
        options ??= Grains.Sweeps.SweepChecks.Options(checkFiles: true);
        var yaml = YamlDocument.Parse(text);
        if (yaml.Errors.Count > 0)
        {
            return new SweepFile(source, text, null, null, yaml.Errors);
        }

        var compilation = SweepCompiler.Compile(yaml.Root?.DeepClone(), options);
        var errors = compilation.Errors.Select(e => e with { Line = yaml.LineOf(e.Path) }).ToList();
        return new SweepFile(source, text, yaml.Root, compilation, errors);
    }
}
