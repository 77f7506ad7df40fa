using Grid.Analysis.Runs;
using Grid.Engine.Sweeps;

namespace Grid.Grains.Sweeps;

/// <summary>The checks a sweep passes before it starts: records, rules, analysis names and (where they are read) files.</summary>
public static class SweepChecks
{
    public static SweepCheckOptions Options(bool checkFiles) => new()
    {
        CheckDatasetFiles = checkFiles,
        KnownAnalyses = IterationAnalyses.Names,
    };
}
