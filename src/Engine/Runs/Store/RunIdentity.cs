using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Grid.Engine.Pruning;
using Grid.Engine.Specs;

namespace Grid.Engine.Runs.Store;

/// <summary>
/// What identifies stored work, as OpenLTH names its runs, but split in two. The <b>trunk</b> (iteration 0: dense
/// training and its rewind checkpoint) is identified by the fields that shape dense training: the dataset by its
/// <see cref="DatasetFingerprint"/> rather than its path, the network, training, task (a mapping file by its content) and
/// seed; its rewind checkpoints are outputs of it, one per <c>pruning.rewind_step</c> its runs use. A <b>line</b>
/// (iterations 1, 2, …) is identified by its trunk plus the pruning method, the rewind step when the method restarts
/// from it, and only the pruning fields that method reads (<see cref="IPruningStrategy.Parameters"/>): fields another
/// method reads are left out, so <c>{method: imp, target_density: 0.01}</c> is the same line as <c>{method: imp}</c>.
/// How far a run goes (<c>max_iterations</c>, <c>stop_ratio</c>), how its iterations train (<c>training.bundle</c>)
/// and what is analysed never enter an identity.
/// </summary>
/// <param name="Trunk">16 hex digits naming the trunk's directory.</param>
/// <param name="Line">16 hex digits naming the line's directory.</param>
/// <param name="RewindStep">The rewind checkpoint the run's later iterations restart from (or, for procedures that
/// restart from the initial weights, the one its run directory shows).</param>
/// <param name="Rewinds">False for procedures that restart from the initial weights.</param>
public sealed record RunIdentity(string Trunk, string Line, JsonObject TrunkDocument, JsonObject LineDocument, int RewindStep, bool Rewinds)
{
    public const int Format = 1;

    /// <summary>The identity of a run's work; reads the dataset's files (and the mapping file) to fingerprint them.</summary>
    public static RunIdentity Of(ExperimentSpec spec) =>
        Of(spec, DatasetFingerprint.Of(spec.Dataset), spec.Task.MappingFile is { Length: > 0 } mapping ? DatasetFingerprint.OfFile(mapping) : null);

    public static RunIdentity Of(ExperimentSpec spec, string datasetFingerprint, string? mappingFingerprint)
    {
        var whole = (JsonObject)JsonNode.Parse(SpecJson.Canonical(spec))!;
        var dataset = (JsonObject)whole["dataset"]!.DeepClone();
        dataset.Remove("path");
        dataset["fingerprint"] = datasetFingerprint;
        var task = (JsonObject)whole["task"]!.DeepClone();
        task.Remove("mapping_file");
        task["mapping"] = mappingFingerprint;
        var training = (JsonObject)whole["training"]!.DeepClone();
        training.Remove("bundle"); // how iterations train (alone or bundled), not what: members match their solo training
        var trunk = new JsonObject
        {
            ["format"] = Format,
            ["dataset"] = dataset,
            ["network"] = whole["network"]!.DeepClone(),
            ["training"] = training,
            ["task"] = task,
            ["seed"] = spec.Seed,
        };
        string trunkId = Hash(trunk);

        var strategy = PruningStrategies.Get(spec.Pruning.Method);
        var pruning = (JsonObject)whole["pruning"]!;
        var line = new JsonObject { ["format"] = Format, ["trunk"] = trunkId, ["method"] = strategy.Name };
        if (!strategy.StartsFromInitialisation)
        {
            line["rewind_step"] = spec.Pruning.RewindStep;
        }

        foreach (string field in strategy.Parameters)
        {
            line[field] = pruning[field]?.DeepClone() ?? throw new InvalidOperationException($"pruning.{field}: no such field (named by method {strategy.Name})");
        }

        return new RunIdentity(trunkId, Hash(line), trunk, line, spec.Pruning.RewindStep, !strategy.StartsFromInitialisation);
    }

    private static string Hash(JsonObject document) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(document.ToJsonString())))[..16];
}
