using Grid.Analysis.Findings;
using Grid.Analysis.Pictures;
using Grid.Analysis.Runs;
using Grid.Engine.IO;
using Grid.Engine.Runs;
using Grid.Engine.Specs;
using Grid.Engine.Sweeps;

namespace Grid.Analysis.Reports;

/// <summary>
/// `grid compare`: one self-contained page over several sweeps or runs — their accuracy-vs-u curves and training
/// curves overlaid, and their connectivity and locality summaries, findings and figures side by side. Each series is a
/// run, or the runs of a sweep that differ only in their seed (<see cref="ComparisonSeries"/>). The connectivity and
/// locality analyses of each series' representative iteration are computed when missing (they read only the mask).
/// Figures and their numbers, and findings.json, go to the directory beside the page (<see cref="FiguresDirectoryOf"/>). Every
/// compared run is verified first: if one does not, <see cref="CorruptResultsException"/> lists it and nothing is written.
/// </summary>
public static class ComparisonReport
{
    /// <summary>Analyses computed for the comparison when missing.</summary>
    private static readonly string[] Analyses = ["connectivity", "locality"];

    public static ComparisonResult Write(IReadOnlyList<ComparedSweep> items, string outputPath, SweepReportOptions? options, CancellationToken cancellationToken)
    {
        options ??= new SweepReportOptions();
        var series = new List<ComparisonSeries>();
        var problems = new List<string>();
        foreach (var item in items)
        {
            string directory = Path.GetFullPath(item.SweepDirectory);
            string manifestFile = Path.Combine(directory, SweepLayout.ManifestFile);
            if (!File.Exists(manifestFile))
            {
                throw new FileNotFoundException($"{directory} is not a sweep directory: no {SweepLayout.ManifestFile}", manifestFile);
            }

            var manifest = SpecJson.Parse<SweepManifest>(File.ReadAllText(manifestFile));
            var hashes = item.RunHashes?.ToHashSet(StringComparer.Ordinal);
            var runs = ReportRun.Load(directory, manifest, hashes is null ? null : r => hashes.Contains(r.Hash));
            problems.AddRange(runs.Where(r => r.Problem is not null).Select(r => SweepIntegrity.Describe(r.Manifest, r.Problem!)));
            series.AddRange(ComparisonSeries.Of(directory, manifest, runs, byRun: hashes is not null));
        }

        if (problems.Count > 0)
        {
            throw new CorruptResultsException(problems);
        }

        series = [.. Distinct(series).Select(s => s with { Findings = Analyse(s, options.Progress, cancellationToken) })];
        cancellationToken.ThrowIfCancellationRequested();

        outputPath = Path.GetFullPath(outputPath);
        string figures = FiguresDirectoryOf(outputPath);
        Directory.CreateDirectory(figures);
        var content = new ComparisonPage.Content(series, Overlays(series, figures), options.Time.GetLocalNow(), figures);
        IReadOnlyList<LabelledRunFindings> findings = [.. series.Where(s => s.Findings is not null)
            .Select(s => new LabelledRunFindings(s.Representative!.Hash, s.Representative.Manifest.Index, s.Label, s.Findings!))];
        FindingsFile.Save(Path.Combine(figures, FindingsFile.FileName), FindingsSummary.Of([.. findings.Select(f => f.Findings)]), findings);
        AtomicFile.WriteText(outputPath, ComparisonPage.Render(content, findings));
        return new ComparisonResult(outputPath, figures, findings);
    }

    /// <summary>Where the figures and numbers of a page go: beside it, named like it with .figures for .html.</summary>
    public static string FiguresDirectoryOf(string outputPath) => Path.ChangeExtension(Path.GetFullPath(outputPath), null) + ".figures";

    /// <summary>Series of the same name (the same sweep twice, or two sweeps of one name) told apart by their sweep's hash.</summary>
    private static IEnumerable<ComparisonSeries> Distinct(List<ComparisonSeries> series)
    {
        var repeated = series.GroupBy(s => s.Label).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var named = series.Select(s => repeated.Contains(s.Label) ? s with { Label = $"{s.Label} [{s.Manifest.Hash[..8]}]" } : s).ToList();
        // The same sweep given twice: numbered in the order given.
        return named.Select((s, i) => named.Count(o => o.Label == s.Label) > 1 ? s with { Label = $"{s.Label} #{named.Take(i + 1).Count(o => o.Label == s.Label)}" } : s);
    }

    /// <summary>The representative's missing analyses at its primary iteration, then its findings there.</summary>
    private static RunFindings? Analyse(ComparisonSeries series, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        if (series.Representative is not { } run || series.PrimaryIteration is not { } iteration)
        {
            return null;
        }

        foreach (string name in Analyses)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var result = IterationAnalyses.Run(name, run.Spec!, run.Directory, iteration, cancellationToken);
                if (result.Status == AnalysisStatus.Computed)
                {
                    progress?.Report($"{series.Label}: {name} of iteration {iteration} ({result.Elapsed.TotalSeconds:F1} s)");
                }
            }
            catch (Exception error) when (error is not OperationCanceledException and not CorruptArtifactException)
            {
                progress?.Report($"{series.Label}: {name} of iteration {iteration} failed: {error.Message}");
            }
        }

        return RunFindings.Evaluate(run.Spec!, run.Directory, run.Outcomes, [iteration]);
    }

    /// <summary>Accuracy and gain vs u, and the training curves of each representative's primary iteration, all series on one figure each.</summary>
    private static IReadOnlyList<ReportFigure> Overlays(IReadOnlyList<ComparisonSeries> series, string figures)
    {
        var result = new List<ReportFigure>();
        var curves = series.Select(s => s.Curve).OfType<Curves.AccuracyCurve>().ToList();
        if (curves.Count > 0)
        {
            var accuracy = AccuracyFigure.Save(Path.Combine(figures, "accuracy"), curves, AccuracyQuantity.BestAccuracy, "Best validation accuracy vs u");
            var gain = AccuracyFigure.Save(Path.Combine(figures, "gain"), curves, AccuracyQuantity.Gain, "Gain over the dense network vs u");
            result.Add(new ReportFigure(accuracy.ImagePath, Relative(figures, accuracy.ImagePath), "Best validation accuracy vs u, mean ± std over the seeds of each series"));
            result.Add(new ReportFigure(gain.ImagePath, Relative(figures, gain.ImagePath), "Gain in best validation accuracy over each run's dense network vs u, mean ± std over seeds"));
        }

        var training = series
            .Where(s => s.Representative is not null && s.PrimaryIteration is not null)
            .Select(s => (Series: s, File: new RunDirectory(s.Representative!.Directory).CurvesFile(s.PrimaryIteration!.Value)))
            .Where(x => File.Exists(x.File))
            .Select(x => CurvesCsv.Read(x.File, $"{x.Series.Label} (iteration {x.Series.PrimaryIteration})"))
            .ToList();
        if (training.Count > 0)
        {
            var files = TrainingCurvesFigure.Save(Path.Combine(figures, "curves"), training, "primary iterations");
            result.Add(new ReportFigure(files.ImagePath, Relative(figures, files.ImagePath),
                "Training and validation error of each series' representative run at its primary iteration (its best, or its last when the best is the dense network)"));
        }

        return result;
    }

    private static string Relative(string figures, string path) =>
        Path.GetRelativePath(Path.GetDirectoryName(figures)!, path).Replace('\\', '/');
}
