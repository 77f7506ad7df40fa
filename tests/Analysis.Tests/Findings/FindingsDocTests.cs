using System.Globalization;
using Grid.Analysis.Findings;

namespace Grid.Analysis.Tests.Findings;

/// <summary>docs/findings.md states the thresholds the verdicts use.</summary>
public sealed class FindingsDocTests
{
    [Fact]
    public void The_page_quotes_every_threshold()
    {
        string page = Grid.Tests.Shared.Repo.Read("docs/findings.md");
        string[] quoted =
        [
            $"at least {Number(FindingThresholds.GainSeenStandardErrors)} standard errors",
            $"at least {Number(FindingThresholds.GainWeakStandardErrors)} standard errors",
            $"{Number(100 * FindingThresholds.TailQuantile)} % quantile",
            $"at least {Number(100 * FindingThresholds.TailSeenShare)} % of the nodes, and P < {Number(FindingThresholds.TailSeenProbability)}",
            $"P < {Number(FindingThresholds.TailWeakProbability)}",
            $"at most {Number(FindingThresholds.LocalitySeenRatio)}x the null's mean, and z <= {Number(FindingThresholds.LocalityZ)}",
            $"below {Number(FindingThresholds.LocalityWeakRatio)}x the null's mean, and z <= {Number(FindingThresholds.LocalityZ)}",
            $"removing {Number(100 * FindingThresholds.RemovedShare)} % of the layer-1 nodes",
            $"a gap of at least {Number(100 * FindingThresholds.RemovalSeenGap)} points, and at least {Number(FindingThresholds.RemovalStandardErrors)} standard errors",
            $"at least {Number(100 * FindingThresholds.RemovalWeakGap)} points, and at least {Number(FindingThresholds.RemovalStandardErrors)} standard errors",
        ];

        Assert.All(quoted, text => Assert.Contains(text, page));
    }

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
