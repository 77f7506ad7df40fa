using Grid.Analysis.Reports;
using Grid.Analysis.Runs;
using Grid.Analysis.Tests.Runs;
using Grid.Engine.Runs;
using Grid.Engine.Sweeps;
using SkiaSharp;

namespace Grid.Analysis.Tests.Reports;

[Collection(TinySweepCollection.Name)]
public sealed class SweepReportTests(TinySweepFixture sweep)
{
    /// <summary>Figures each shown iteration contributes (784-16x3 on one-channel images).</summary>
    private static readonly string[] IterationFigures =
    [
        "connectivity-layer1.png", "connectivity-layer2.png", "connectivity-layer3.png", "connectivity-cout0.png",
        "locality-ssc.png", "locality-ssc-by-cin.png", "locality-ssc-random-node.png",
        "masks-layer1.png", "masks-weights-layer1.png", "masks-effective-layer2.png", "masks-effective-layer3.png",
        "node-removal.png", "activations.png", "curves.png",
    ];

    [Fact]
    public void TheReportEmbedsEveryFigureTheSummaryAndTheEscapedSweepFile()
    {
        string directory = ReportedSweep.Directory(sweep);
        string path = Path.Combine(directory, SweepReport.FileName);
        Assert.True(File.Exists(path));
        string html = File.ReadAllText(path);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.EndsWith("</html>\n", html, StringComparison.Ordinal);
        Assert.Contains("<title>Grid sweep report: tiny-sweep</title>", html);
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);

        var expected = ExpectedFigures(directory);
        var images = ReportHtml.Images(html);
        Assert.Equal(expected.Order(StringComparer.Ordinal), images.Select(i => i.Figure).Distinct().Order(StringComparer.Ordinal));
        // Every figure once, plus the side-by-side rows: 3 kinds x 2 learning rates.
        Assert.Equal(expected.Count + 3 * 2, images.Count);
        foreach (var image in images)
        {
            string mime = image.Figure.EndsWith(".gif", StringComparison.Ordinal) ? "image/gif" : "image/png";
            string prefix = $"data:{mime};base64,";
            Assert.StartsWith(prefix, image.Source, StringComparison.Ordinal);
            byte[] bytes = Convert.FromBase64String(image.Source[prefix.Length..]);
            Assert.True(mime == "image/gif" ? ImageFiles.IsGif(bytes) : ImageFiles.IsPng(bytes), $"{image.Figure} does not decode as {mime}");
            Assert.Equal(File.ReadAllBytes(Path.Combine(directory, image.Figure)), bytes);
            using SKBitmap? decoded = SKBitmap.Decode(bytes);
            Assert.True(decoded is { Width: > 0, Height: > 0 }, $"{image.Figure} does not decode");
        }

        int summaryRows = File.ReadAllLines(Path.Combine(directory, SweepLayout.SummaryFile)).Count(l => l.Length > 0) - 1;
        Assert.Equal(sweep.Plans.Sum(p => new RunDirectory(sweep.RunDirectory(p)).FinishedIterations().Count), summaryRows);
        Assert.Equal(summaryRows, ReportHtml.BodyRows(html, "summary-table"));

        Assert.Contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; friends", html);
        Assert.DoesNotContain("<script>alert(", html);
        Assert.Contains("TorchSharp", html);
        Assert.Contains("CPU count", html);
        Assert.Equal(sweep.Plans.Count, html.Split("<details").Length - 1);
    }

    [Fact]
    public void WritingTheReportAgainReusesTheAnalyses()
    {
        string directory = ReportedSweep.Directory(sweep);
        var records = Directory.EnumerateFiles(directory, "*" + AnalysisLayout.RecordSuffix, SearchOption.AllDirectories)
            .ToDictionary(f => f, File.GetLastWriteTimeUtc);
        Assert.NotEmpty(records);
        string path = SweepReport.Write(directory);
        Assert.True(File.Exists(path));
        Assert.All(records, entry => Assert.Equal(entry.Value, File.GetLastWriteTimeUtc(entry.Key)));
    }

    [Fact]
    public void ANonSweepDirectoryIsAClearError()
    {
        var error = Assert.Throws<FileNotFoundException>(() => SweepReport.Write(sweep.RunDirectory(sweep.Plans[0])));
        Assert.Contains(SweepLayout.ManifestFile, error.Message);
    }

    private IReadOnlyList<string> ExpectedFigures(string directory)
    {
        var expected = new List<string>
        {
            "report/accuracy-training.learning_rate.png",
            "report/gain-training.learning_rate.png",
        };
        foreach (ManifestRun run in sweep.Manifest.Runs)
        {
            string runPath = Path.Combine(directory, run.Directory);
            var outcomes = new RunDirectory(runPath).FinishedIterations();
            Assert.True(outcomes[^1].IsLast);
            int last = outcomes[^1].Iteration;
            int best = outcomes.MaxBy(o => o.BestValAccuracy)!.Iteration;
            foreach (int iteration in new[] { last, best }.Distinct())
            {
                expected.AddRange(IterationFigures.Select(f => $"{run.Directory}/analysis/iter-{iteration:D3}/{f}"));
            }
            expected.Add($"{run.Directory}/analysis/evolution.gif");
            expected.Add($"report/run-{run.Hash}-curves.png");
        }
        return expected;
    }
}
