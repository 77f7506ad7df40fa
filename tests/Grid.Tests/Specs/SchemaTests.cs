using System.Text.Json.Nodes;
using Grid.Client.Specs;
using Grid.Engine.Specs;
using Grid.Engine.Sweeps;

namespace Grid.Tests.Specs;

/// <summary>schema/sweep.schema.json is hand-written for editors; these tests keep it in step with the records.</summary>
public sealed class SchemaTests
{
    private static readonly JsonObject Schema = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "schema", "sweep.schema.json")))!;

    private static readonly string PresetDirectory = Path.Combine(AppContext.BaseDirectory, "experiments");

    public static TheoryData<string> Presets => new(Directory.GetFiles(PresetDirectory, "*.yaml", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(PresetDirectory, f)));

    [Fact]
    public void The_schema_describes_exactly_the_fields_of_the_records()
    {
        Assert.Equal(SweepCompiler.TopLevelKeys.Order(), Keys(Schema));
        Assert.Equal(SweepCompiler.AxisKeys.Order(), Keys(Schema["properties"]!["matrix"]!["items"]!.AsObject()));
        CompareObject(Resolve(Schema["properties"]!["base"]!), SweepCompiler.ExperimentShape, "base");
    }

    [Fact]
    public void The_schema_lists_the_known_names()
    {
        var defs = Schema["$defs"]!;
        Assert.Equal(DatasetNames.All, Enum(defs["dataset"]!["properties"]!["name"]!));
        Assert.Equal(Optimizers.All, Enum(defs["training"]!["properties"]!["optimizer"]!));
        Assert.Equal(LabelModes.All, Enum(defs["task"]!["properties"]!["labels"]!));
    }

    [Theory]
    [MemberData(nameof(Presets))]
    public void Every_preset_is_valid_and_uses_only_schema_fields(string preset)
    {
        // Structure and rules only: paper-scale presets name datasets that are not on this machine.
        string text = File.ReadAllText(Path.Combine(PresetDirectory, preset));
        var file = SweepFile.Parse(text, preset, new SweepCheckOptions { CheckDatasetFiles = false });

        Assert.True(file.IsValid, string.Join("\n", file.Errors));
        var unknown = new List<string>();
        Walk(file.Document, Schema, "", unknown);
        Assert.Empty(unknown);
    }

    [Fact]
    public void The_quickstart_is_the_main_experiment_at_cpu_scale()
    {
        var file = SweepFile.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "experiments", "quickstart.yaml")), options: new SweepCheckOptions { CheckDatasetFiles = false });

        var run = Assert.Single(file.Runs).Spec;
        Assert.Equal(DatasetNames.FashionMnist, run.Dataset.Name);
        Assert.Equal(3, run.Network.Hidden.Count);
        Assert.Single(run.Network.Hidden.Distinct());
        Assert.Equal(("imp", 0.3, 0.2), (run.Pruning.Method, run.Pruning.Rate, run.Pruning.StopRatio));
    }

    /// <summary>Collects the paths of keys in <paramref name="node"/> that the schema does not declare.</summary>
    private static void Walk(JsonNode? node, JsonNode schema, string path, List<string> unknown)
    {
        schema = Resolve(schema);
        switch (node)
        {
            case JsonObject obj when schema["properties"] is JsonObject properties:
                foreach (var (key, value) in obj)
                {
                    if (properties[key] is { } child)
                    {
                        Walk(value, child, $"{path}.{key}", unknown);
                    }
                    else
                    {
                        unknown.Add($"{path}.{key}");
                    }
                }

                break;
            case JsonArray array when schema["items"] is { } items:
                foreach (var item in array)
                {
                    Walk(item, items, $"{path}[]", unknown);
                }

                break;
        }
    }

    private static void CompareObject(JsonNode schema, ObjectShape shape, string path)
    {
        var obj = Resolve(schema).AsObject();
        Assert.True(obj["additionalProperties"]?.GetValue<bool>() == false, $"{path}: additionalProperties must be false");
        Assert.Equal(shape.FieldNames.Order(), Keys(obj));
        foreach (var (name, fieldShape) in shape.Fields)
        {
            if (fieldShape is ObjectShape nested)
            {
                CompareObject(obj["properties"]![name]!, nested, $"{path}.{name}");
            }
        }
    }

    private static JsonNode Resolve(JsonNode schema) =>
        schema["$ref"]?.GetValue<string>() is { } reference
            ? Schema["$defs"]![reference["#/$defs/".Length..]]!
            : schema;

    private static IEnumerable<string> Keys(JsonObject schema) =>
        schema["properties"]!.AsObject().Select(p => p.Key).Order();

    private static IEnumerable<string> Enum(JsonNode property) =>
        property["enum"]!.AsArray().Select(v => v!.GetValue<string>());
}
