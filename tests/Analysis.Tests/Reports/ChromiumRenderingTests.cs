using System.Diagnostics;
using Grid.Analysis.Reports;
using Grid.Analysis.Tests.Runs;
using Grid.Analysis.Tests.Support;
using Grid.Tests.Shared;
using SkiaSharp;

namespace Grid.Analysis.Tests.Reports;

/// <summary>The report as a browser shows it: headless Chromium renders it and every embedded picture decodes.</summary>
[Collection(TinySweepCollection.Name)]
public sealed class ChromiumRenderingTests(TinySweepFixture sweep) : IDisposable
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly TimeSpan Timeout = ProgressWait.EventBound;
    private readonly TemporaryDirectory _temporary = new();

    [Fact]
    public void ChromiumRendersTheReportWithEveryImage()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: the report rendering test needs it (apt-get install chromium)");
        string report = Path.Combine(ReportedSweep.Directory(sweep), SweepReport.FileName);
        string url = new Uri(report).AbsoluteUri;

        string shot = _temporary.File("shot.png");
        RunChromium($"--screenshot={shot} --window-size=1280,4000 {url}", "screenshot");
        Assert.True(File.Exists(shot), "Chromium wrote no screenshot");
        using (SKBitmap bitmap = SKBitmap.Decode(shot))
        {
            Assert.NotNull(bitmap);
            Assert.Equal(1280, bitmap.Width);
            Assert.Equal(4000, bitmap.Height);
            var colours = new HashSet<SKColor>();
            for (int y = 0; y < bitmap.Height; y += 7)
            {
                for (int x = 0; x < bitmap.Width; x += 7)
                {
                    colours.Add(bitmap.GetPixel(x, y));
                }
            }
            Assert.True(colours.Count > 50, $"the screenshot looks blank ({colours.Count} colours)");
        }

        string dom = RunChromium($"--virtual-time-budget=10000 --dump-dom {url}", "dump-dom");
        int images = ReportHtml.Images(File.ReadAllText(report)).Count;
        Assert.Contains($"data-images=\"{images}\"", dom);
        Assert.Contains("data-broken-images=\"0\"", dom);
    }

    private string RunChromium(string arguments, string profile)
    {
        var start = new ProcessStartInfo(Chromium,
            "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking "
            + "--disable-component-update --disable-sync --disable-dev-shm-usage "
            + $"--user-data-dir={_temporary.File("profile-" + profile)} {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"chromium {arguments} did not finish within {Timeout.TotalSeconds} s");
        }
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"chromium {arguments} exited with {process.ExitCode}: {errors.Result}");
        return output.Result;
    }

    public void Dispose() => _temporary.Dispose();
}
