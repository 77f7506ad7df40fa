namespace Grid.Analysis.Reports;

/// <summary>Optional settings of <see cref="SweepReport.Write(string, SweepReportOptions?, CancellationToken)"/>.</summary>
public sealed record SweepReportOptions
{
    /// <summary>
    /// Analyses to run and show; null = the sweep's analysis list, or when that is empty
    /// <see cref="Runs.IterationAnalyses.DefaultFor"/> of each run's spec.
    /// </summary>
    public IReadOnlyList<string>? Analyses { get; init; }

    /// <summary>One line per analysis computed (or failed), for a console.</summary>
    public IProgress<string>? Progress { get; init; }

    /// <summary>Clock for the "written" date (tests).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
