using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;
using Grid.Engine.Specs;

namespace Grid.Engine.Sweeps;

/// <summary>
/// schema/sweep.schema.json, generated: the experiment's part by .NET's <see cref="JsonSchemaExporter"/> from the spec
/// records (<see cref="ExperimentSpec"/>), each field with its [Description], bounds ([Range], [MinLength]), known
/// values ([KnownNames]) and default (the records' own); around it the sweep document the compiler reads (name, base,
/// matrix, analysis). `grid schema` prints it; a test keeps the committed file equal to it.
/// </summary>
public static class SweepSchema
{
    public const string RelativePath = "schema/sweep.schema.json";

    private static readonly JsonSerializerOptions Output = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <param name="analyses">The analysis registry's names, listed for the sweep's <c>analysis</c>.</param>
    public static string Generate(IReadOnlyList<string> analyses) => Build(analyses).ToJsonString(Output) + "\n";

    public static JsonObject Build(IReadOnlyList<string> analyses)
    {
        var experiment = Experiment();
        var fields = SweepCompiler.ExperimentShape.FieldPaths().ToList();
        return new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = "https://grid.local/schema/sweep.schema.json",
            ["title"] = "Grid sweep",
            ["description"] = "A sweep of pruning experiments: a base experiment and a matrix of axes (every combination of their values is one run). "
                + "Generated from the spec records (src/Engine/Specs/ExperimentSpec.cs) by `grid schema`; `grid run SPEC --dry-run` checks a file completely.",
            ["type"] = "object",
            ["additionalProperties"] = false,
            ["required"] = new JsonArray("name"),
            ["properties"] = new JsonObject
            {
                ["name"] = new JsonObject
                {
                    ["description"] = "Sweep name: the results go to <results>/<name>-<hash>/.",
                    ["type"] = "string",
                    ["pattern"] = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$",
                },
                ["base"] = new JsonObject
                {
                    ["description"] = "The experiment every run starts from; omitted fields take the paper's defaults.",
                    ["$ref"] = "#/$defs/experiment",
                },
                ["matrix"] = new JsonObject
                {
                    ["description"] = "Axes of the sweep; every combination of their values is one run (first axis outermost). A mapping value (e.g. for training) is merged into the base.",
                    ["type"] = "array",
                    ["items"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["additionalProperties"] = false,
                        ["required"] = new JsonArray("field", "values"),
                        ["properties"] = new JsonObject
                        {
                            ["field"] = new JsonObject
                            {
                                ["description"] = "Dotted path of an experiment field or group, e.g. seed, dataset.fraction, task, training.optimizer.",
                                ["enum"] = new JsonArray([.. fields.Select(f => (JsonNode)f)]),
                            },
                            ["values"] = new JsonObject
                            {
                                ["description"] = "Values of the field, each checked like the field itself; no duplicates.",
                                ["type"] = "array",
                                ["minItems"] = 1,
                            },
                        },
                    },
                },
                ["analysis"] = new JsonObject
                {
                    ["description"] = $"Analyses computed on every finished iteration; omitted or empty: all that suit the dataset; [{SweepDefinition.NoAnalyses}]: training only.",
                    ["type"] = "array",
                    ["items"] = new JsonObject { ["enum"] = new JsonArray([.. analyses.Append(SweepDefinition.NoAnalyses).Select(a => (JsonNode)a)]) },
                    ["uniqueItems"] = true,
                },
            },
            ["$defs"] = new JsonObject { ["experiment"] = experiment },
        };
    }

    /// <summary>Every field of the experiment (dotted) whose schema has no description; empty when all are described.</summary>
    public static IReadOnlyList<string> Undescribed(JsonNode experiment, string path = "")
    {
        var missing = new List<string>();
        if (experiment["properties"] is JsonObject properties)
        {
            foreach (var (name, field) in properties)
            {
                string at = path.Length == 0 ? name : $"{path}.{name}";
                if (field?["description"] is not JsonValue description || string.IsNullOrWhiteSpace(description.GetValue<string>()))
                {
                    missing.Add(at);
                }

                missing.AddRange(Undescribed(field!, at));
            }
        }

        return missing;
    }

    private static JsonObject Experiment()
    {
        var options = new JsonSerializerOptions(SpecJson.Options) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
        var exporter = new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true, TransformSchemaNode = Describe };
        var exported = (JsonObject)options.GetJsonSchemaAsNode(typeof(ExperimentSpec), exporter);
        var schema = new JsonObject { ["description"] = "One experiment; omitted fields take the paper's defaults (docs/science.md)." };
        foreach (var (key, value) in exported.ToList())
        {
            exported.Remove(key);
            schema[key] = value;
        }

        AddDefaults(schema, JsonSerializer.SerializeToNode(new ExperimentSpec(), SpecJson.Options));
        return schema;
    }

    /// <summary>A field's description, bounds and known values from its attributes; no unknown keys in any object.</summary>
    private static JsonNode Describe(JsonSchemaExporterContext context, JsonNode node)
    {
        bool autoOrInteger = context.PropertyInfo?.AttributeProvider is { } provider
            && Attribute<System.Text.Json.Serialization.JsonConverterAttribute>(provider)?.ConverterType == typeof(AutoOrIntegerConverter);
        if (node is not JsonObject schema)
        {
            if (!autoOrInteger)
            {
                return node;
            }

            schema = []; // the exporter cannot see through a custom converter (it says true: anything)
        }

        if (schema["properties"] is not null)
        {
            schema["additionalProperties"] = false;
        }

        if (context.PropertyInfo?.AttributeProvider is not { } attributes)
        {
            return schema;
        }

        var described = new JsonObject();
        if (Attribute<DescriptionAttribute>(attributes) is { } description)
        {
            described["description"] = description.Description;
        }

        foreach (var (key, value) in schema.ToList())
        {
            schema.Remove(key);
            described[key] = value;
        }

        if (autoOrInteger)
        {
            described["type"] = new JsonArray("string", "integer"); // the string auto, or an integer within the bounds
            described["pattern"] = $"^{AutoOrIntegerConverter.Auto}$";
        }

        if (Attribute<KnownNamesAttribute>(attributes) is { } known)
        {
            described["enum"] = new JsonArray([.. known.Names.Select(n => (JsonNode)n)]);
        }

        if (Attribute<MinLengthAttribute>(attributes) is { } minLength)
        {
            described["minItems"] = minLength.Length;
        }

        if (Attribute<RangeAttribute>(attributes) is { } range)
        {
            Bounds(described["items"] as JsonObject ?? described, range);
        }

        return described;
    }

    private static void Bounds(JsonObject schema, RangeAttribute range)
    {
        double minimum = Convert.ToDouble(range.Minimum, CultureInfo.InvariantCulture);
        double maximum = Convert.ToDouble(range.Maximum, CultureInfo.InvariantCulture);
        if (minimum > int.MinValue)
        {
            schema[range.MinimumIsExclusive ? "exclusiveMinimum" : "minimum"] = minimum;
        }

        if (double.IsFinite(maximum) && maximum < int.MaxValue)
        {
            schema[range.MaximumIsExclusive ? "exclusiveMaximum" : "maximum"] = maximum;
        }
    }

    /// <summary>The records' own defaults, where they are not null.</summary>
    private static void AddDefaults(JsonObject schema, JsonNode? defaults)
    {
        if (schema["properties"] is not JsonObject properties || defaults is not JsonObject values)
        {
            return;
        }

        foreach (var (name, field) in properties)
        {
            if (values[name] is not { } value || field is not JsonObject fieldSchema)
            {
                continue;
            }

            if (value is JsonObject)
            {
                AddDefaults(fieldSchema, value);
            }
            else
            {
                fieldSchema["default"] = value.DeepClone();
            }
        }
    }

    private static T? Attribute<T>(ICustomAttributeProvider provider)
        where T : Attribute =>
        provider.GetCustomAttributes(typeof(T), inherit: true).OfType<T>().FirstOrDefault();
}
