using Grid.Analysis.Findings;
using Grid.Engine.IO;
using Grid.Engine.Runs;
using Grid.Engine.Specs;
using Grid.Engine.Sweeps;

namespace Grid.Analysis.Reports;

/// <summary>
/// Writes &lt;sweep&gt;/report.html: one self-contained page (pictures as data: URIs, inline CSS, no network) with the
/// paper's findings against their null models (<see cref="FindingsSection"/>, also in report/findings.json), the sweep
/// file, the environment, the summary table, accuracy and gain vs u per axis (mean ± std over seeds), side-by-side
/// comparisons per axis value, and per run (collapsible) its curves and the figures of its last and best iterations.
/// Missing analyses are computed first (idempotent: existing results are reused); the sweep-level figures are
/// regenerated into &lt;sweep&gt;/report/ on every call, since the sweep may have progressed. Every finished iteration is
/// verified first (<see cref="RunIntegrity"/>, full): if any does not, <see cref="CorruptResultsException"/> lists them and
/// nothing is written.
/// </summary>
public static class SweepReport
{
    public const string FileName = "report.html";
    public const string FiguresDirectory = "report";

    /// <summary>Writes the report of the sweep in <paramref name="sweepDirectory"/> and returns its path.</summary>
    public static string Write(string sweepDirectory) => Write(sweepDirectory, null, CancellationToken.None);

    public static string Write(string sweepDirectory, SweepReportOptions? options, CancellationToken cancellationToken) =>
        Create(sweepDirectory, options, cancellationToken).Path;

    /// <summary>Writes the report and returns its path with the findings it states (for a console to repeat).</summary>
    public static SweepReportResult Create(string sweepDirectory, SweepReportOptions? options, CancellationToken cancellationToken)
    {
        options ??= new SweepReportOptions();
        string directory = Path.GetFullPath(sweepDirectory);
        string manifestFile = Path.Combine(directory, SweepLayout.ManifestFile);
        if (!File.Exists(manifestFile))
        {
            throw new FileNotFoundException($"{directory} is not a sweep directory: no {SweepLayout.ManifestFile}", manifestFile);
        }
        SweepManifest manifest = SpecJson.Parse<SweepManifest>(File.ReadAllText(manifestFile));
        IReadOnlyList<ReportRun> runs = ReportRun.Load(directory, manifest);
        if (runs.Where(r => r.Problem is not null).Select(r => SweepIntegrity.Describe(r.Manifest, r.Problem!)).ToList() is { Count: > 0 } problems)
        {
            throw new CorruptResultsException(problems); // nothing is analysed or written from artifacts that do not verify
        }

        var analyses = new Dictionary<string, IReadOnlyList<ReportAnalysis>>(StringComparer.Ordinal);
        foreach (ReportRun run in runs.Where(r => r.Spec is not null))
        {
            var names = ReportAnalyses.NamesFor(manifest.Analysis, run.Spec!, options.Analyses);
            analyses[run.Hash] = ReportAnalyses.Run(run, names, options.Progress, cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        string figures = Path.Combine(directory, FiguresDirectory);
        Directory.CreateDirectory(figures);
        IReadOnlyList<ReportFigure> aggregates = SweepAggregates.Write(directory, figures, manifest.Axes, runs);
        var curves = runs.ToDictionary(r => r.Hash, r => RunFigures.Curves(r, directory, figures));
        IReadOnlyList<LabelledRunFindings> findings =
        [
            .. runs.Where(r => r.Spec is not null && r.Last is not null)
                .Select(r => new LabelledRunFindings(r.Hash, r.Manifest.Index, r.Label, RunFindings.Evaluate(r.Spec!, r.Directory, r.Outcomes, r.ShownIterations))),
        ];
        string summary = FindingsSummary.Of([.. findings.Select(f => f.Findings)]);
        FindingsFile.Save(Path.Combine(figures, FindingsFile.FileName), summary, findings);

        string html = ReportPage.Render(new ReportPage.Content(
            directory, manifest, runs, analyses, aggregates, curves, options.Time.GetLocalNow()) { Findings = findings, FindingsSummary = summary });
        string path = Path.Combine(directory, FileName);
        AtomicFile.WriteText(path, html);
        return new SweepReportResult(path, summary, findings);
    }
}
