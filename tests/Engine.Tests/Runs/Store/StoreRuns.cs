using Grid.Engine.Runs;
using Grid.Engine.Runs.Store;
using Grid.Engine.Specs;
using static TorchSharp.torch;

namespace Grid.Engine.Tests.Runs.Store;

/// <summary>Runs linked to a run store in a temporary results root, as sweeps link theirs.</summary>
internal sealed class StoreRuns
{
    public string Root { get; } = TinyRuns.TemporaryDirectory();

    public RunStore Store => RunStore.Of(Root);

    /// <summary>A new run directory (as a new sweep's) linked to the work of <paramref name="spec"/>.</summary>
    public string Link(ExperimentSpec spec)
    {
        string directory = Path.Combine(Root, "sweep-" + Guid.NewGuid().ToString("N")[..8], "runs", SpecJson.Hash(spec));
        var identity = RunIdentity.Of(spec);
        Store.Register(identity);
        StoreLink.Write(directory, Store, identity);
        return directory;
    }

    public IReadOnlyList<IterationOutcome> Run(ExperimentSpec spec) =>
        RunExecutor.RunToEnd(spec, Link(spec), CPU, null, CancellationToken.None);

    /// <summary>(part, iteration) of every training in the journal, in order.</summary>
    public IReadOnlyList<(string Part, int Iteration)> Trainings() =>
        [.. Store.ReadJournal().Where(e => e.Event == StoreEvent.Trained).Select(e => (e.Part, e.Iteration))];

    public static bool SameBytes(string a, string b) => File.ReadAllBytes(a).AsSpan().SequenceEqual(File.ReadAllBytes(b));

    /// <summary>Both archives hold the same tensors, bit for bit.</summary>
    public static bool SameTensors(string a, string b)
    {
        var left = TensorArchive.Load(a);
        var right = TensorArchive.Load(b);
        return left.Count == right.Count && left.All(entry => right.TryGetValue(entry.Key, out var other) && entry.Value.equal(other).all().item<bool>());
    }
}
