using Grid.Analysis.Pictures;

namespace Grid.Analysis.Runs;

/// <summary>"curves": training and validation error vs step of the iteration (Fig. 6b/c). Files: curves.png/.csv.</summary>
internal sealed class CurvesAnalysis : IIterationAnalysis
{
    public string Name => "curves";
    public string Description => "training and validation error curves of the iteration";
    public int Version => 1;
    public AnalysisScope Scope => AnalysisScope.Iteration;
    public bool NeedsTrainedNetwork => false;

    public void Write(IterationArtifacts input, AnalysisOutput output, CancellationToken cancellationToken)
    {
        string label = AnalysisText.Iteration(input);
        var curve = CurvesCsv.Read(input.Run.CurvesFile(input.Iteration), label);
        output.Figure(TrainingCurvesFigure.Save(output.PathFor(), [curve], $"iteration {input.Iteration}"),
            $"Training and validation error, {label}");
    }
}
