using Grid.Analysis.Findings;

namespace Grid.Analysis.Reports;

/// <summary>A written report: its path, and the findings it states (the summary sentence and each run's).</summary>
public sealed record SweepReportResult(string Path, string FindingsSummary, IReadOnlyList<LabelledRunFindings> Findings);
