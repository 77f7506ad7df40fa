using Grid.Analysis.Pictures;
using Grid.Analysis.Runs;
using Grid.Engine.Runs;

namespace Grid.Analysis.Reports;

/// <summary>Pictures of one run: the figures its analyses recorded, and its training curves across iterations.</summary>
internal static class RunFigures
{
    /// <summary>Iterations drawn in the run's curves figure at most (always 0, the best and the last).</summary>
    public const int MaxCurves = 6;

    public static IEnumerable<ReportFigure> Of(ReportAnalysis analysis, string sweepDirectory) =>
        analysis.Result?.Record is { } record
            ? record.Figures.Select(f =>
            {
                string image = analysis.Result.Absolute(f.Image);
                return new ReportFigure(image, SweepAggregates.Relative(sweepDirectory, image), f.Caption);
            })
            : [];

    /// <summary>Training / validation error of a few iterations of the run, written to &lt;report&gt;/run-&lt;hash&gt;-curves.png.</summary>
    public static ReportFigure? Curves(ReportRun run, string sweepDirectory, string reportDirectory)
    {
        if (run.Last is null)
        {
            return null;
        }
        int last = run.Last.Iteration;
        var chosen = new SortedSet<int> { 0, run.Best!.Iteration, last };
        for (int k = 1; chosen.Count < MaxCurves && k < MaxCurves && last > 1; k++)
        {
            chosen.Add((int)Math.Round(k * last / (double)(MaxCurves - 1)));
        }
        var directory = new RunDirectory(run.Directory);
        var curves = run.Outcomes
            .Where(o => chosen.Contains(o.Iteration) && File.Exists(directory.CurvesFile(o.Iteration)))
            .Select(o => CurvesCsv.Read(directory.CurvesFile(o.Iteration), $"iteration {o.Iteration} (u = {Percent(o.UnprunedFraction)})"))
            .ToArray();
        if (curves.Length == 0)
        {
            return null;
        }
        var files = TrainingCurvesFigure.Save(Path.Combine(reportDirectory, $"run-{run.Hash}-curves"), curves, $"run {run.Manifest.Index}");
        return new ReportFigure(files.ImagePath, SweepAggregates.Relative(sweepDirectory, files.ImagePath),
            $"Training and validation error of iterations {string.Join(", ", chosen.Where(i => i <= last))} of run {run.Manifest.Index}");
    }

    public static string Percent(double fraction) =>
        (100 * fraction).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + "%";
}
