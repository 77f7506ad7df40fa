using Grid.Analysis.Reports;
using Grid.Analysis.Tests.Runs;

namespace Grid.Analysis.Tests.Reports;

/// <summary>One clean copy of the tiny sweep with its report written (analyses computed by the report), shared by the report tests.</summary>
internal static class ReportedSweep
{
    private static readonly object Gate = new();
    private static string? _directory;

    public static string Directory(TinySweepFixture sweep)
    {
        lock (Gate)
        {
            if (_directory is null || !System.IO.Directory.Exists(_directory))
            {
                string copy = sweep.CopySweep(Path.Combine(sweep.Root, "reported-" + Guid.NewGuid().ToString("N")));
                SweepReport.Write(copy);
                _directory = copy;
            }
            return _directory;
        }
    }
}
