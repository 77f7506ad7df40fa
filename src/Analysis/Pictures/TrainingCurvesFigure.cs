using Grid.Analysis.Curves;
using Grid.Analysis.Output;
using ScottPlot;

namespace Grid.Analysis.Pictures;

/// <summary>Training error (left panel) and validation error (right panel) vs step, one line per run (paper Fig. 6b/c). Data: CSV.</summary>
public static class TrainingCurvesFigure
{
    public static FigureFiles Save(string basePath, IReadOnlyList<TrainingCurve> curves, string title = "")
    {
        ArgumentOutOfRangeException.ThrowIfZero(curves.Count);
        foreach (TrainingCurve curve in curves)
        {
            curve.Validate();
        }
        using var train = Panel(curves, isTraining: true, Prefix(title) + "training error");
        using var validation = Panel(curves, isTraining: false, Prefix(title) + "validation error");
        byte[] png = PlotRendering.Panels([train, validation], columns: 2, panelWidth: 640, panelHeight: 480);

        var data = new CsvTable("series", "split", "step", "error");
        foreach (TrainingCurve curve in curves)
        {
            for (int i = 0; i < curve.TrainSteps.Count; i++)
            {
                data.Row(curve.Label, "train", curve.TrainSteps[i], curve.TrainError[i]);
            }
            for (int i = 0; i < curve.ValidationSteps.Count; i++)
            {
                data.Row(curve.Label, "validation", curve.ValidationSteps[i], curve.ValidationError[i]);
            }
        }
        return FigureFiles.WritePngWithCsv(basePath, png, data);
    }

    private static string Prefix(string title) => string.IsNullOrWhiteSpace(title) ? "" : title + ": ";

    private static Plot Panel(IReadOnlyList<TrainingCurve> curves, bool isTraining, string title)
    {
        var plot = new Plot();
        IPalette palette = new ScottPlot.Palettes.Category10();
        for (int s = 0; s < curves.Count; s++)
        {
            TrainingCurve curve = curves[s];
            double[] steps = (isTraining ? curve.TrainSteps : curve.ValidationSteps).Select(x => (double)x).ToArray();
            double[] errors = (isTraining ? curve.TrainError : curve.ValidationError).ToArray();
            var line = plot.Add.ScatterLine(steps, errors, palette.GetColor(s));
            line.LegendText = curve.Label;
            line.LineWidth = 1.5f;
        }
        plot.XLabel("training step");
        plot.YLabel(isTraining ? "training error" : "validation error");
        plot.Title(title);
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }
}
