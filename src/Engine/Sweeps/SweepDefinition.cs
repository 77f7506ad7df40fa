using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grid.Engine.Specs;

namespace Grid.Engine.Sweeps;

/// <summary>One axis of the matrix: a dotted field of the experiment, its values (canonical JSON) and how each value
/// was written (for display: a mapping value shows only the keys the file set).</summary>
public sealed record SweepAxis(string Field, IReadOnlyList<JsonNode?> Values, IReadOnlyList<string> Labels)
{
    public SweepAxis(string field, IReadOnlyList<JsonNode?> values)
        : this(field, values, [.. values.Select(JsonPaths.Display)])
    {
    }

    /// <summary>Position of this axis in the file's matrix (differs only while checking a file with errors).</summary>
    public int SourceIndex { get; init; } = -1;

    /// <summary>Position in the file of each value (differs only while checking a file with errors).</summary>
    public IReadOnlyList<int>? SourceValueIndices { get; init; }

    public string ValuePath(int axisIndex, int valueIndex) =>
        $"matrix[{(SourceIndex >= 0 ? SourceIndex : axisIndex)}].values[{SourceValueIndices?[valueIndex] ?? valueIndex}]";
}

/// <summary>A validated sweep: a base experiment, the axes of its matrix and the analyses to run on it
/// (an empty <see cref="Analysis"/> list means the analysis library's defaults for each run; [<see cref="NoAnalyses"/>]
/// means training only).</summary>
public sealed record SweepDefinition(string Name, ExperimentSpec Base, IReadOnlyList<SweepAxis> Axes, IReadOnlyList<string> Analysis)
{
    /// <summary>The analysis list <c>[none]</c>: no per-iteration analyses, training only (analyses can be added later
    /// by listing them and running the sweep again, or by <c>grid report</c>).</summary>
    public const string NoAnalyses = "none";

    /// <summary>Canonical JSON of what is trained (name, base with every default, matrix). The analysis list is not
    /// part of it: adding an analysis to a sweep reuses its training.</summary>
    public string Canonical()
    {
        var matrix = new JsonArray();
        foreach (var axis in Axes)
        {
            matrix.Add(new JsonObject
            {
                ["field"] = axis.Field,
                ["values"] = new JsonArray([.. axis.Values.Select(v => v?.DeepClone())]),
            });
        }

        var root = new JsonObject
        {
            ["name"] = Name,
            ["base"] = JsonSerializer.SerializeToNode(Base, SpecJson.Options),
            ["matrix"] = matrix,
        };
        return root.ToJsonString();
    }

    /// <summary>First 16 hex digits of the SHA-256 of <see cref="Canonical"/>: the sweep's key.</summary>
    public string Hash() =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical())))[..16];

    /// <summary>Directory of the sweep under the results root.</summary>
    public string DirectoryName() => SweepLayout.DirectoryName(Name, Hash());
}

/// <summary>The value one run takes on one axis, and its display text.</summary>
public sealed record AxisValue(string Field, JsonNode? Value, string Display);

/// <summary>One run of an expanded sweep. <see cref="Index"/> counts from 1 in matrix order.</summary>
public sealed record RunPlan(int Index, IReadOnlyList<AxisValue> Values, ExperimentSpec Spec)
{
    public string Hash { get; } = SpecJson.Hash(Spec);

    /// <summary>Index of this run's value on each axis (matrix[i].values[Coordinates[i]]).</summary>
    public IReadOnlyList<int> Coordinates { get; init; } = [];

    public string Label => Values.Count == 0 ? "base" : string.Join(" ", Values.Select(v => $"{v.Field}={v.Display}"));
}
