using Grid.Analysis.Masks;
using Grid.Engine.Runs;
using Grid.Engine.Specs;

namespace Grid.Analysis.Runs;

/// <summary>
/// The stored results of one finished iteration, read on first use: outcome, masks (mask.npz, the mask the iteration
/// trained with), final weights, curves, and the input geometry.
/// </summary>
public sealed class IterationArtifacts
{
    private readonly Lazy<IReadOnlyList<LayerMask>> _masks;
    private readonly Lazy<InputGeometry> _geometry;
    private readonly Dictionary<int, float[]> _weights = [];

    private IterationArtifacts(ExperimentSpec spec, RunDirectory run, int iteration, IterationOutcome outcome)
    {
        Spec = spec;
        Run = run;
        Iteration = iteration;
        Outcome = outcome;
        _masks = new Lazy<IReadOnlyList<LayerMask>>(() => MaskArchive.LoadMasks(run.MaskFile(iteration)));
        _geometry = new Lazy<InputGeometry>(() => RunGeometry.Of(spec, Masks[0].Inputs));
    }

    public ExperimentSpec Spec { get; }
    public RunDirectory Run { get; }
    public int Iteration { get; }
    public IterationOutcome Outcome { get; }

    /// <summary>One mask per linear layer, [n_out, n_in].</summary>
    public IReadOnlyList<LayerMask> Masks => _masks.Value;

    public InputGeometry Geometry => _geometry.Value;

    /// <summary>One flag per linear layer (the output layer last).</summary>
    public IReadOnlyList<bool> PruneFlags => Spec.Network.PruneFlags();

    /// <summary>Number of hidden layers (linear layers whose outputs are hidden nodes).</summary>
    public int HiddenLayers => Spec.Network.Hidden.Count;

    /// <summary>Final weights of linear layer <paramref name="layer"/> (0-based), [n_out, n_in] row-major.</summary>
    public float[] Weights(int layer)
    {
        lock (_weights)
        {
            if (!_weights.TryGetValue(layer, out float[]? weights))
            {
                weights = MaskArchive.LoadLinearWeight(Run.FinalWeightsFile(Iteration), layer);
                _weights[layer] = weights;
            }
            return weights;
        }
    }

    /// <summary>Opens a finished iteration; throws when it has not finished, and <see cref="CorruptArtifactException"/>
    /// naming the file when one of its recorded files is missing or changed (never analyse what did not verify).</summary>
    public static IterationArtifacts Open(ExperimentSpec spec, string runDirectory, int iteration)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(iteration);
        var run = new RunDirectory(runDirectory);
        IterationOutcome outcome = run.ReadOutcome(iteration)
            ?? throw new InvalidOperationException($"{run.IterationPath(iteration)}: iteration {iteration} has not finished (no summary.json)");
        if (RunIntegrity.CheckIteration(run.Path, iteration, IntegrityDepth.Full) is { } problem)
        {
            throw new CorruptArtifactException(problem);
        }

        return new IterationArtifacts(spec, run, iteration, outcome);
    }
}
