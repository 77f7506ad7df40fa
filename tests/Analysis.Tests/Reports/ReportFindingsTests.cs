using System.Net;
using System.Text.Json;
using Grid.Analysis.Findings;
using Grid.Analysis.Reports;
using Grid.Analysis.Tests.Runs;
using Grid.Engine.Runs;

namespace Grid.Analysis.Tests.Reports;

/// <summary>
/// The report of a real tiny sweep (quickstart-like: Fashion-MNIST, IMP, every analysis) states each of the paper's
/// findings against its null model with a verdict, as a sentence at the top, a table, lines in each run's section and
/// report/findings.json.
/// </summary>
[Collection(TinySweepCollection.Name)]
public sealed class ReportFindingsTests(TinySweepFixture sweep)
{
    private static readonly string[] Verdicts = ["seen", "weak", "not seen at this scale", "not measured"];

    [Fact]
    public void The_report_states_every_finding_against_its_null_with_a_verdict()
    {
        string directory = ReportedSweep.Directory(sweep);
        string html = File.ReadAllText(Path.Combine(directory, SweepReport.FileName));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, SweepReport.FiguresDirectory, FindingsFile.FileName)));
        var root = json.RootElement;

        Assert.Contains("<section id=\"findings\"><h2>Findings against the null models</h2>", html);
        Assert.True(html.IndexOf("id=\"findings\"", StringComparison.Ordinal) < html.IndexOf("id=\"sweep-file\"", StringComparison.Ordinal), "the findings come first");
        string summary = root.GetProperty("summary").GetString()!;
        Assert.StartsWith("At ", summary);
        Assert.Contains($"<p class=\"verdict-summary\">{WebUtility.HtmlEncode(summary)}</p>", html);

        var runs = root.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(sweep.Manifest.Runs.Count, runs.Count);
        foreach (var run in runs)
        {
            var manifest = sweep.Manifest.Runs.Single(r => r.Hash == run.GetProperty("run").GetString());
            var outcomes = new RunDirectory(Path.Combine(directory, manifest.Directory)).FinishedIterations();
            var best = outcomes.MaxBy(o => o.BestValAccuracy)!;
            var shown = new[] { outcomes[^1].Iteration, best.Iteration }.Distinct().Where(i => outcomes.Single(o => o.Iteration == i).LayerUnprunedFractions[0] < 1).ToList();
            var findings = run.GetProperty("findings").EnumerateArray().ToList();

            // The accuracy gain once, at the best iteration; the three structural findings at every shown pruned iteration.
            var gain = Assert.Single(findings, f => f.GetProperty("key").GetString() == AccuracyGain.Key);
            Assert.Equal(best.Iteration, gain.GetProperty("iteration").GetInt32());
            Assert.Equal(best.BestValAccuracy - outcomes[0].BestValAccuracy, gain.GetProperty("numbers").GetProperty("gain").GetDouble(), 9);
            foreach (string key in RunFindings.StructuralKeys)
            {
                Assert.Equal(shown.Order(), findings.Where(f => f.GetProperty("key").GetString() == key).Select(f => f.GetProperty("iteration").GetInt32()).Order());
            }

            foreach (var finding in findings)
            {
                string line = finding.GetProperty("line").GetString()!;
                string verdict = Verdicts.Single(v => line.EndsWith("— " + v, StringComparison.Ordinal));
                Assert.NotEqual("not measured", verdict); // every analysis ran: every finding has its number
                Assert.Contains(WebUtility.HtmlEncode(line), html); // in the run's section
                Assert.Contains($"<td class=\"verdict-{finding.GetProperty("verdict").GetString()!.Replace('_', '-')}\">{WebUtility.HtmlEncode(verdict)}</td>", html);
            }

            var locality = findings.First(f => f.GetProperty("key").GetString() == LocalityAgainstNull.Key).GetProperty("numbers");
            Assert.Equal(locality.GetProperty("mean_distance").GetDouble() / locality.GetProperty("null_mean_distance").GetDouble(),
                locality.GetProperty("ratio_to_null").GetDouble(), 12);
        }

        Assert.Equal(runs.Sum(r => r.GetProperty("findings").GetArrayLength()), ReportHtml.BodyRows(html, FindingsSection.TableId));
    }
}
