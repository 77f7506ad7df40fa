using Grid.Engine.IO;
using System.Text.Json;
using Grid.Analysis.Output;

namespace Grid.Analysis.Locality;

/// <summary>Writes a <see cref="LocalityReport"/> as JSON (observed values, both nulls, z-scores and ratios).</summary>
public static class LocalityReportFile
{
    public static string Save(string path, LocalityReport report)
    {
        var data = new
        {
            Metrics = LocalitySummary.MetricNames,
            report.Observed,
            report.RandomPruningExpected,
            report.RandomPruning,
            report.DegreePreserving,
            report.ZScoresVsRandomPruning,
            report.ZScoresVsDegreePreserving,
            report.RatiosVsRandomPruning,
            report.RatiosVsDegreePreserving,
        };
        AtomicFile.WriteText(path, JsonSerializer.Serialize(data, FigureFiles.Json));
        return path;
    }
}
