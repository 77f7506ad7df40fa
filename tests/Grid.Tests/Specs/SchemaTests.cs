using System.Text.Json;
using System.Text.Json.Nodes;
using Grid.Analysis.Runs;
using Grid.Client.Specs;
using Grid.Engine.Pruning;
using Grid.Engine.Specs;
using Grid.Engine.Sweeps;

namespace Grid.Tests.Specs;

/// <summary>
/// schema/sweep.schema.json is generated from the spec records (SweepSchema, `grid schema`); these tests keep the
/// committed file equal to the generated one, every field described, and the schema's bounds equal to the rules'.
/// </summary>
public sealed class SchemaTests
{
    private static readonly JsonObject Schema = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "schema", "sweep.schema.json")))!;

    private static readonly JsonObject Generated = SweepSchema.Build(IterationAnalyses.Names);

    private static readonly string PresetDirectory = Path.Combine(AppContext.BaseDirectory, "experiments");

    public static TheoryData<string> Presets => new(Directory.GetFiles(PresetDirectory, "*.yaml", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(PresetDirectory, f)));

    [Fact]
    public void The_committed_schema_is_the_generated_one()
    {
        string committed = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "schema", "sweep.schema.json")).ReplaceLineEndings("\n");

        Assert.True(committed == SweepSchema.Generate(IterationAnalyses.Names),
            "schema/sweep.schema.json differs from what the spec records generate: run `./grid schema > schema/sweep.schema.json`");
    }

    [Fact]
    public async Task Grid_schema_prints_the_generated_schema()
    {
        var (code, output) = await Cli.CliTests.RunAsync("schema");

        Assert.Equal(0, code);
        Assert.Equal(SweepSchema.Generate(IterationAnalyses.Names), output);
    }

    [Fact]
    public void Every_field_of_the_records_has_a_description()
    {
        var experiment = Generated["$defs"]!["experiment"]!;

        Assert.Empty(SweepSchema.Undescribed(experiment));
        Assert.Equal(SweepCompiler.ExperimentShape.FieldPaths().Count(), Described(experiment).Count());
    }

    [Fact]
    public void A_field_without_a_description_is_found()
    {
        var experiment = Generated["$defs"]!["experiment"]!.DeepClone();
        experiment["properties"]!["training"]!["properties"]!["steps"]!.AsObject().Remove("description");

        Assert.Equal(["training.steps"], SweepSchema.Undescribed(experiment));
    }

    [Fact]
    public void The_schema_describes_exactly_the_fields_of_the_records()
    {
        Assert.Equal(SweepCompiler.TopLevelKeys.Order(), Keys(Schema));
        Assert.Equal(SweepCompiler.AxisKeys.Order(), Keys(Schema["properties"]!["matrix"]!["items"]!.AsObject()));
        CompareObject(Resolve(Schema["properties"]!["base"]!), SweepCompiler.ExperimentShape, "base");
        Assert.Equal(SweepCompiler.ExperimentShape.FieldPaths(), Enum(Schema["properties"]!["matrix"]!["items"]!["properties"]!["field"]!));
    }

    [Fact]
    public void The_schema_lists_the_known_names()
    {
        var experiment = Schema["$defs"]!["experiment"]!["properties"]!;
        Assert.Equal(DatasetNames.All, Enum(experiment["dataset"]!["properties"]!["name"]!));
        Assert.Equal(Optimizers.All, Enum(experiment["training"]!["properties"]!["optimizer"]!));
        Assert.Equal(LabelModes.All, Enum(experiment["task"]!["properties"]!["labels"]!));
        Assert.Equal(PruningStrategies.Names, Enum(experiment["pruning"]!["properties"]!["method"]!));
        Assert.Equal([.. IterationAnalyses.Names, SweepDefinition.NoAnalyses], Enum(Schema["properties"]!["analysis"]!["items"]!));
    }

    [Fact]
    public async Task Grid_help_lists_the_analyses()
    {
        var (code, output) = await Cli.CliTests.RunAsync("--help");

        Assert.Equal(0, code);
        Assert.Contains("ANALYSES", output);
        Assert.Contains(string.Join(", ", IterationAnalyses.Names), output);
    }

    /// <summary>Each bound of the schema is where the rules start refusing: a value at an inclusive bound passes, at an
    /// exclusive bound or just beyond an inclusive one it is an error of that field.</summary>
    [Fact]
    public void The_bounds_of_the_schema_are_those_of_the_rules()
    {
        var checkedBounds = new List<string>();
        foreach (var (field, schema) in Leaves(Generated["$defs"]!["experiment"]!, ""))
        {
            bool integer = schema["type"]?.ToJsonString().Contains("integer", StringComparison.Ordinal) == true;
            foreach (var (bound, exclusive, below) in new[] { ("minimum", false, true), ("exclusiveMinimum", true, true), ("maximum", false, false), ("exclusiveMaximum", true, false) })
            {
                if (schema[bound]?.GetValue<double>() is not { } value)
                {
                    continue;
                }

                double beyond = integer ? (below ? value - 1 : value + 1) : (below ? Math.BitDecrement(value) : Math.BitIncrement(value));
                Assert.True(exclusive == Violates(field, value, integer), $"{field} = {value} ({bound}) {(exclusive ? "passes" : "is refused")} by the rules");
                Assert.True(Violates(field, beyond, integer), $"{field} = {beyond}, beyond its {bound} {value}, passes the rules");
                checkedBounds.Add($"{field} {bound}");
            }
        }

        Assert.True(checkedBounds.Count >= 15, string.Join(", ", checkedBounds));
    }

    private static bool Violates(string field, double value, bool integer)
    {
        var node = (JsonObject)JsonSerializer.SerializeToNode(new ExperimentSpec(), SpecJson.Options)!;
        JsonPaths.Set(node, field, integer ? JsonValue.Create((long)value) : JsonValue.Create(value));
        var spec = node.Deserialize<ExperimentSpec>(SpecJson.Options)!;
        return ExperimentRules.Check(spec).Any(v => v.Field == field);
    }

    /// <summary>The scalar fields of the experiment schema with their schemas (dotted paths).</summary>
    private static IEnumerable<(string Field, JsonNode Schema)> Leaves(JsonNode schema, string path)
    {
        foreach (var (name, field) in schema["properties"]?.AsObject() ?? [])
        {
            string at = path.Length == 0 ? name : $"{path}.{name}";
            if (field!["properties"] is not null)
            {
                foreach (var leaf in Leaves(field, at))
                {
                    yield return leaf;
                }
            }
            else if (field["items"] is null)
            {
                yield return (at, field);
            }
        }
    }

    private static IEnumerable<string> Described(JsonNode schema) =>
        (schema["properties"]?.AsObject() ?? []).SelectMany(p => new[] { p.Key }.Concat(Described(p.Value!).Select(inner => $"{p.Key}.{inner}")));

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
