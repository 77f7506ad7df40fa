using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Grid.Engine.Specs;

namespace Grid.Engine.Sweeps;

/// <summary>
/// Turns a sweep document (the JSON form of the YAML file: <c>name</c>, <c>base</c>, <c>matrix</c>, <c>analysis</c>)
/// into a validated <see cref="SweepDefinition"/> and its expanded runs. Validation is complete: every error of the
/// document is collected, each naming its path, before anything may start.
/// </summary>
public static partial class SweepCompiler
{
    public static readonly IReadOnlyList<string> TopLevelKeys = ["name", "base", "matrix", "analysis"];
    public static readonly IReadOnlyList<string> AxisKeys = ["field", "values"];

    public static ObjectShape ExperimentShape => (ObjectShape)SpecShape.Of(typeof(ExperimentSpec));

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex NamePattern();

    public static SweepCompilation Compile(JsonNode? document, SweepCheckOptions? options = null)
    {
        options ??= SweepCheckOptions.Default;
        var errors = new List<SpecError>();
        if (document is not JsonObject root)
        {
            errors.Add(new SpecError("(document)", $"expected a mapping with name, base, matrix, analysis; got {ShapeChecker.KindOf(document)}"));
            return new SweepCompilation(null, [], errors);
        }

        foreach (var (key, _) in root)
        {
            if (!TopLevelKeys.Contains(key))
            {
                errors.Add(new SpecError(key, "unknown field" + Suggest.Hint(key, TopLevelKeys)));
            }
        }

        // Each reader reports its errors and salvages what is usable, so that the rules below still check the rest
        // of the file: the user sees every problem at once.
        string name = ReadName(root, errors) ?? "invalid-name";
        var baseSpec = ReadBase(root, errors);
        var axes = ReadMatrix(root, errors, options.MaxRuns);
        var analysis = ReadAnalysis(root, errors, options.KnownAnalyses);

        // Refused before any value is put through the records or any run is built: the product of the axis lengths
        // bounds the number of runs (duplicates, which are errors anyway, only lower it).
        var count = axes.Aggregate(BigInteger.One, (n, a) => n * a.Values.Count);
        if (count > options.MaxRuns)
        {
            errors.Add(new SpecError("matrix", $"expands to {count:N0} runs, more than the limit of {options.MaxRuns:N0}"));
            return new SweepCompilation(null, [], errors);
        }

        var canonicalAxes = Canonicalise(baseSpec, axes, errors);
        var sweep = new SweepDefinition(name, baseSpec, canonicalAxes, analysis);
        var runs = SweepExpander.Expand(sweep);
        var (ruleErrors, warnings) = SweepRuleCheck.Check(sweep, runs, options);
        errors.AddRange(ruleErrors);
        return errors.Count > 0
            ? new SweepCompilation(null, [], errors) { Warnings = warnings }
            : new SweepCompilation(sweep, runs, []) { Warnings = warnings };
    }

    private static string? ReadName(JsonObject root, List<SpecError> errors)
    {
        if (!root.TryGetPropertyValue("name", out var node) || node is null)
        {
            errors.Add(new SpecError("name", "is required (letters, digits, '.', '_' or '-')"));
            return null;
        }

        if (node.GetValueKind() != JsonValueKind.String)
        {
            errors.Add(new SpecError("name", $"expected a string, got {ShapeChecker.KindOf(node)}"));
            return null;
        }

        string name = node.GetValue<string>();
        if (!NamePattern().IsMatch(name))
        {
            errors.Add(new SpecError("name", $"'{name}' must start with a letter or digit and use only letters, digits, '.', '_' or '-' (at most 64)"));
            return null;
        }

        return name;
    }

    /// <summary>The base experiment; fields with errors are dropped (their defaults stand in while checking the rest).</summary>
    private static ExperimentSpec ReadBase(JsonObject root, List<SpecError> errors)
    {
        if (!root.TryGetPropertyValue("base", out var node) || node is null)
        {
            return new ExperimentSpec();
        }

        var problems = new List<string>();
        ShapeChecker.Check(node, ExperimentShape, "base", (path, message) =>
        {
            errors.Add(new SpecError(path, message));
            problems.Add(path);
        });
        if (node is not JsonObject baseObject)
        {
            return new ExperimentSpec();
        }

        var usable = (JsonObject)baseObject.DeepClone();
        foreach (string path in problems)
        {
            // base.network.hidden[1] → drop network.hidden; base.training.stepz → drop training.stepz
            JsonPaths.Remove(usable, path["base.".Length..].Split('[')[0]);
        }

        try
        {
            return usable.Deserialize<ExperimentSpec>(SpecJson.Options) ?? new ExperimentSpec();
        }
        catch (JsonException error)
        {
            if (problems.Count == 0)
            {
                errors.Add(new SpecError("base" + JsonPathSuffix(error.Path), error.Message));
            }

            return new ExperimentSpec();
        }
    }

    /// <summary>The usable axes (known field, values of the right shape), with their positions in the file.</summary>
    private static List<RawAxis> ReadMatrix(JsonObject root, List<SpecError> errors, int maxRuns)
    {
        var axes = new List<RawAxis>();
        if (!root.TryGetPropertyValue("matrix", out var node) || node is null)
        {
            return axes;
        }

        if (node is not JsonArray list)
        {
            errors.Add(new SpecError("matrix", $"expected a list of axes ({{field: ..., values: [...]}}), got {ShapeChecker.KindOf(node)}"));
            return axes;
        }

        var seen = new List<(string Field, int Index)>();
        for (int i = 0; i < list.Count; i++)
        {
            string at = $"matrix[{i}]";
            if (list[i] is not JsonObject axis)
            {
                errors.Add(new SpecError(at, $"expected a mapping with field and values, got {ShapeChecker.KindOf(list[i])}"));
                continue;
            }

            foreach (var (key, _) in axis)
            {
                if (!AxisKeys.Contains(key))
                {
                    errors.Add(new SpecError($"{at}.{key}", "unknown field" + Suggest.Hint(key, AxisKeys)));
                }
            }

            string? field = ReadAxisField(axis, at, errors);
            var fieldShape = field is null ? null : ExperimentShape.Resolve(field);
            if (field is not null && fieldShape is null)
            {
                errors.Add(new SpecError($"{at}.field", $"unknown experiment field '{field}'{Suggest.Hint(field, ExperimentShape.LeafPaths())}"));
            }

            if (field is not null && fieldShape is not null)
            {
                foreach (var (other, index) in seen)
                {
                    if (other == field || field.StartsWith(other + ".", StringComparison.Ordinal) || other.StartsWith(field + ".", StringComparison.Ordinal))
                    {
                        errors.Add(new SpecError($"{at}.field", $"'{field}' overlaps matrix[{index}].field '{other}'"));
                    }
                }

                seen.Add((field, i));
            }

            if (!axis.TryGetPropertyValue("values", out var valuesNode) || valuesNode is not JsonArray values)
            {
                errors.Add(new SpecError($"{at}.values", valuesNode is null ? "is required (a non-empty list)" : $"expected a list, got {ShapeChecker.KindOf(valuesNode)}"));
                continue;
            }

            if (values.Count == 0)
            {
                errors.Add(new SpecError($"{at}.values", "must list at least one value"));
                continue;
            }

            if (values.Count > maxRuns)
            {
                errors.Add(new SpecError($"{at}.values", $"lists {values.Count:N0} values, more than the {maxRuns:N0} runs a sweep may have"));
                continue;
            }

            if (fieldShape is not null)
            {
                var usable = new List<(int, JsonNode?)>();
                for (int j = 0; j < values.Count; j++)
                {
                    string valueAt = $"{at}.values[{j}]";
                    bool ok = true;
                    ShapeChecker.Check(values[j], fieldShape, valueAt, (path, message) =>
                    {
                        errors.Add(new SpecError(path, message, field + path[valueAt.Length..]));
                        ok = false;
                    });
                    if (ok)
                    {
                        usable.Add((j, values[j]?.DeepClone()));
                    }
                }

                if (usable.Count > 0)
                {
                    axes.Add(new RawAxis(i, field!, usable));
                }
            }
        }

        return axes;
    }

    private static string? ReadAxisField(JsonObject axis, string at, List<SpecError> errors)
    {
        if (!axis.TryGetPropertyValue("field", out var node) || node is null)
        {
            errors.Add(new SpecError($"{at}.field", "is required (a dotted experiment field such as dataset.fraction)"));
            return null;
        }

        if (node.GetValueKind() != JsonValueKind.String)
        {
            errors.Add(new SpecError($"{at}.field", $"expected a string, got {ShapeChecker.KindOf(node)}"));
            return null;
        }

        return node.GetValue<string>();
    }

    /// <summary>The analysis list; empty when the file gives none; [none] alone for training only.</summary>
    private static List<string> ReadAnalysis(JsonObject root, List<SpecError> errors, IReadOnlyCollection<string>? known)
    {
        var names = new List<string>();
        if (!root.TryGetPropertyValue("analysis", out var node) || node is null)
        {
            return names;
        }

        if (node is not JsonArray list)
        {
            errors.Add(new SpecError("analysis", $"expected a list of analysis names, got {ShapeChecker.KindOf(node)}"));
            return names;
        }

        for (int i = 0; i < list.Count; i++)
        {
            var item = list[i];
            if (item is not JsonValue || item.GetValueKind() != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetValue<string>()))
            {
                errors.Add(new SpecError($"analysis[{i}]", $"expected an analysis name, got {ShapeChecker.KindOf(item)}"));
                continue;
            }

            string name = item.GetValue<string>();
            if (known is not null && name != SweepDefinition.NoAnalyses && !known.Contains(name))
            {
                errors.Add(new SpecError($"analysis[{i}]", $"unknown analysis '{name}', expected one of: {string.Join(", ", known)} (or {SweepDefinition.NoAnalyses} alone, for training only){Suggest.Hint(name, known)}"));
                continue;
            }

            if (names.Contains(name))
            {
                errors.Add(new SpecError($"analysis[{i}]", $"'{name}' is listed twice"));
                continue;
            }

            names.Add(name);
        }

        if (names.Count > 1 && names.Contains(SweepDefinition.NoAnalyses))
        {
            errors.Add(new SpecError("analysis", $"'{SweepDefinition.NoAnalyses}' (training only) cannot be listed with other analyses"));
        }

        return names;
    }

    /// <summary>Puts each axis value through the records (so 1 and 1.0 are the same value) and rejects duplicates.</summary>
    private static List<SweepAxis> Canonicalise(ExperimentSpec baseSpec, List<RawAxis> axes, List<SpecError> errors)
    {
        var baseNode = (JsonObject)JsonSerializer.SerializeToNode(baseSpec, SpecJson.Options)!;
        var result = new List<SweepAxis>();
        foreach (var axis in axes)
        {
            var canonical = new List<JsonNode?>();
            var labels = new List<string>();
            var sources = new List<int>();
            var seen = new Dictionary<string, int>();
            foreach (var (j, raw) in axis.Values)
            {
                string at = $"matrix[{axis.SourceIndex}].values[{j}]";
                var node = (JsonObject)baseNode.DeepClone();
                JsonPaths.Overlay(node, axis.Field, raw?.DeepClone());
                JsonNode? value;
                try
                {
                    var spec = node.Deserialize<ExperimentSpec>(SpecJson.Options)!;
                    value = JsonPaths.Get(JsonSerializer.SerializeToNode(spec, SpecJson.Options), axis.Field)?.DeepClone();
                }
                catch (JsonException e)
                {
                    errors.Add(new SpecError(at, e.Message, axis.Field));
                    continue;
                }

                string key = value?.ToJsonString() ?? "null";
                if (seen.TryGetValue(key, out int first))
                {
                    errors.Add(new SpecError(at, $"duplicate of matrix[{axis.SourceIndex}].values[{first}] ({key})", axis.Field));
                    continue;
                }

                seen[key] = j;
                canonical.Add(value);
                labels.Add(JsonPaths.Display(raw));
                sources.Add(j);
            }

            if (canonical.Count > 0)
            {
                result.Add(new SweepAxis(axis.Field, canonical, labels) { SourceIndex = axis.SourceIndex, SourceValueIndices = sources });
            }
        }

        return result;
    }

    private sealed record RawAxis(int SourceIndex, string Field, List<(int SourceIndex, JsonNode? Value)> Values);

    private static string JsonPathSuffix(string? jsonPath) =>
        jsonPath is null || jsonPath == "$" ? "" : jsonPath.TrimStart('$');
}
