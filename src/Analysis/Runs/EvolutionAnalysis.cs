using Grid.Analysis.Masks;
using Grid.Analysis.Pictures;

namespace Grid.Analysis.Runs;

/// <summary>
/// "evolution" (per run): an animated GIF of the 30 first-layer nodes most connected at the last iteration, followed
/// through every iteration of the run (the paper's supplementary videos). Applies to the run's last iteration only.
/// Files: analysis/evolution.gif/.json.
/// </summary>
internal sealed class EvolutionAnalysis : IIterationAnalysis
{
    public const int Count = 30;

    public string Name => "evolution";
    public string Description => "animated GIF of the most connected first-layer masks across all iterations (per run, after the last)";
    public int Version => 1;
    public AnalysisScope Scope => AnalysisScope.Run;
    public bool NeedsTrainedNetwork => false;

    public string? NotApplicableReason(IterationArtifacts input) =>
        input.Outcome.IsLast ? null : $"runs once the run has finished; iteration {input.Iteration} is not its last";

    public void Write(IterationArtifacts input, AnalysisOutput output, CancellationToken cancellationToken)
    {
        var snapshots = new List<MaskSnapshot>();
        for (int iteration = 0; iteration <= input.Iteration; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            LayerMask first = iteration == input.Iteration
                ? input.Masks[0]
                : MaskArchive.LoadMask(input.Run.MaskFile(iteration), 0);
            snapshots.Add(new MaskSnapshot(iteration, first));
        }
        output.Figure(MaskEvolutionAnimation.Save(output.PathFor(), snapshots, input.Geometry, Count),
            $"Evolution of the {Math.Min(Count, snapshots[^1].Mask.Nodes)} layer-1 masks most connected at the last iteration, iterations 0-{input.Iteration}");
    }
}
