using System.Net;
using System.Text.Json;
using Grid.Analysis.Findings;
using Grid.Analysis.Reports;
using Grid.Analysis.Runs;
using Grid.Analysis.Tests.Runs;
using Grid.Engine.Runs;
using Grid.Engine.Sweeps;
using SkiaSharp;

namespace Grid.Analysis.Tests.Reports;

/// <summary>`grid compare`'s page over a real tiny sweep (two learning rates x two seeds) and one of its runs.</summary>
[Collection(TinySweepCollection.Name)]
public sealed class ComparisonReportTests(TinySweepFixture sweep) : IDisposable
{
    private readonly string _directory = Path.Combine(sweep.Root, "compare-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void A_sweep_and_a_run_are_overlaid_and_set_side_by_side()
    {
        string copy = sweep.CopySweep(Path.Combine(_directory, "tiny"));
        var run = sweep.Manifest.Runs.Single(r => r.Index == 3);
        string output = Path.Combine(_directory, "out", "tiny-vs-run.html");

        var result = ComparisonReport.Write([new ComparedSweep(copy), new ComparedSweep(copy, [run.Hash])], output, null, CancellationToken.None);

        Assert.Equal(output, result.Path);
        string html = File.ReadAllText(output);
        string[] labels = ["tiny-sweep: training.learning_rate = 0.1", "tiny-sweep: training.learning_rate = 0.05",
            $"tiny-sweep run 3 (training.learning_rate = {run.Values[0]}, seed = {run.Values[1]})"];
        Assert.Contains("<title>Grid comparison: tiny-sweep: training.learning_rate = 0.1 vs tiny-sweep: training.learning_rate = 0.05 vs tiny-sweep run 3 (", html);
        Assert.Equal(3, ReportHtml.BodyRows(html, "compared"));

        // Overlays: accuracy and gain vs u with one series per line of the comparison; training curves of each.
        Assert.Equal(Path.Combine(_directory, "out", "tiny-vs-run.figures"), result.FiguresDirectory);
        var accuracy = CsvText.Parse(File.ReadAllText(Path.Combine(result.FiguresDirectory, "accuracy.csv")));
        Assert.Equal(labels, accuracy.Skip(1).Where(r => r.Count > 1).Select(r => r[0]).Distinct());
        var curves = CsvText.Parse(File.ReadAllText(Path.Combine(result.FiguresDirectory, "curves.csv")));
        Assert.Equal(3, curves.Skip(1).Where(r => r.Count > 1).Select(r => r[0]).Distinct().Count());
        var images = ReportHtml.Images(html);
        foreach (string figure in new[] { "accuracy.png", "gain.png", "curves.png" })
        {
            var image = Assert.Single(images, i => i.Figure.EndsWith("/" + figure, StringComparison.Ordinal));
            using var bitmap = SKBitmap.Decode(Convert.FromBase64String(image.Source["data:image/png;base64,".Length..]));
            Assert.True(bitmap is { Width: > 0 }, $"{figure} does not decode");
        }

        // Side by side: one column per series, and each series' C^in histogram and S^sc map at its primary iteration.
        Assert.Equal(3, images.Count(i => i.Figure.EndsWith("/connectivity-layer1.png", StringComparison.Ordinal)));
        Assert.Equal(3, images.Count(i => i.Figure.EndsWith("/locality-ssc.png", StringComparison.Ordinal)));
        int header = html.IndexOf("id=\"side-by-side\"", StringComparison.Ordinal);
        string headerRow = html[header..html.IndexOf("</tr>", header, StringComparison.Ordinal)];
        Assert.Equal(4, headerRow.Split("<th>").Length - 1);
        Assert.Contains("<th>ratio to the degree-preserving null (z)</th>", html);

        // Findings of each series' representative, in the page and in findings.json.
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(result.FiguresDirectory, FindingsFile.FileName)));
        var series = json.RootElement.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(3, series.Count);
        Assert.Equal(run.Hash, series[2].GetProperty("run").GetString());
        foreach (var entry in series)
        {
            foreach (var finding in entry.GetProperty("findings").EnumerateArray())
            {
                Assert.Contains(WebUtility.HtmlEncode(finding.GetProperty("measured").GetString()!), html);
            }
        }

        // The representative's missing analyses were computed where they belong: in its run directory.
        var primary = RunFindings.PrimaryOf(new RunDirectory(Path.Combine(copy, run.Directory)).FinishedIterations())!.Value;
        Assert.NotNull(IterationAnalyses.Find("locality", Path.Combine(copy, run.Directory), primary));
    }

    [Fact]
    public void Results_that_do_not_verify_are_named_and_nothing_is_written()
    {
        string copy = sweep.CopySweep(Path.Combine(_directory, "broken"));
        var run = sweep.Manifest.Runs[0];
        string mask = new RunDirectory(Path.Combine(copy, run.Directory)).MaskFile(1);
        File.WriteAllBytes(mask, File.ReadAllBytes(mask)[..100]);
        string output = Path.Combine(_directory, "page.html");

        var error = Assert.Throws<CorruptResultsException>(() =>
            ComparisonReport.Write([new ComparedSweep(copy), new ComparedSweep(sweep.SweepDirectory, [sweep.Manifest.Runs[1].Hash])], output, null, CancellationToken.None));

        Assert.Contains(error.Problems, p => p.Contains("mask.npz", StringComparison.Ordinal));
        Assert.False(File.Exists(output));
        Assert.False(Directory.Exists(ComparisonReport.FiguresDirectoryOf(output)));
    }

    [Fact]
    public void A_directory_that_is_not_a_sweep_is_a_clear_error()
    {
        var error = Assert.Throws<FileNotFoundException>(() =>
            ComparisonReport.Write([new ComparedSweep(sweep.Root), new ComparedSweep(sweep.SweepDirectory)], Path.Combine(_directory, "x.html"), null, CancellationToken.None));

        Assert.Contains(SweepLayout.ManifestFile, error.Message);
    }
}
