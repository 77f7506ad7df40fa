using System.Text.Json;
using Grid.Analysis.Output;
using Grid.Engine.IO;

namespace Grid.Analysis.Findings;

/// <summary>One run's findings with what identifies the run, as findings.json lists them.</summary>
public sealed record LabelledRunFindings(string Run, int Index, string Label, RunFindings Findings);

/// <summary>findings.json: every finding's numbers, null and verdict (what the report's Findings section says).</summary>
public static class FindingsFile
{
    public const string FileName = "findings.json";

    public static string Save(string path, string summary, IReadOnlyList<LabelledRunFindings> runs)
    {
        var data = new
        {
            Thresholds = "docs/findings.md",
            Summary = summary,
            Runs = runs.Select(r => new
            {
                r.Run,
                r.Index,
                r.Label,
                r.Findings.PrimaryIteration,
                r.Findings.Headline,
                Findings = r.Findings.Findings.Select(f => new
                {
                    f.Key,
                    f.Name,
                    f.Figure,
                    f.Iteration,
                    f.UnprunedFraction,
                    f.Measured,
                    Verdict = VerdictText.Key(f.Verdict),
                    f.Line,
                    f.Numbers,
                }),
            }),
        };
        AtomicFile.WriteText(path, JsonSerializer.Serialize(data, FigureFiles.Json));
        return path;
    }
}
