using System.Text.RegularExpressions;
using Grid.Engine.IO;
using Grid.Engine.Runs;
using Grid.Engine.Specs;
using Grid.Engine.Sweeps;

namespace Grid.Cluster.Tests.Support;

/// <summary>What the results store says about a sweep, read the way a person (or `grid results`) would.</summary>
public static partial class SweepArtifacts
{
    [GeneratedRegex(@"^\s+Finished (?<key>\S+): best val accuracy", RegexOptions.Multiline)]
    private static partial Regex FinishedLine();

    [GeneratedRegex(@"^\s+Iteration (?<iteration>\d+) of run (?<run>\S+) was finished by another process", RegexOptions.Multiline)]
    private static partial Regex FinishedElsewhereLine();

    [GeneratedRegex(@"is being trained by another process", RegexOptions.Multiline)]
    private static partial Regex ClaimWaitLine();

    [GeneratedRegex(@"^\s+Training (?<key>\S+) on ", RegexOptions.Multiline)]
    private static partial Regex TrainingLine();

    /// <summary>
    /// Iteration keys (sweep/run/iteration) a silo log says this silo trained to the end. The worker logs "Finished"
    /// also when the iteration claim found the iteration finished by another process meanwhile; those are left out.
    /// </summary>
    public static IReadOnlyList<string> TrainedBy(string log)
    {
        var keys = FinishedLine().Matches(log).Select(m => m.Groups["key"].Value).ToList();
        foreach (Match other in FinishedElsewhereLine().Matches(log))
        {
            string suffix = $"/{other.Groups["run"].Value}/{other.Groups["iteration"].Value}";
            int index = keys.FindIndex(k => k.EndsWith(suffix, StringComparison.Ordinal));
            if (index >= 0)
            {
                keys.RemoveAt(index);
            }
        }

        return keys;
    }

    /// <summary>How often this silo's iteration claim had to wait for another trainer of the same iteration.</summary>
    public static int ClaimWaits(string log) => ClaimWaitLine().Matches(log).Count;

    /// <summary>Iteration keys a silo log says this silo started training.</summary>
    public static IReadOnlyList<string> StartedBy(string log) => [.. TrainingLine().Matches(log).Select(m => m.Groups["key"].Value)];

    /// <summary>Finished iterations per run directory, from the store.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<IterationOutcome>> Outcomes(string results, string sweepHash)
    {
        var store = new SweepStore(results);
        var manifest = store.Find(sweepHash);
        Assert.True(manifest is not null, $"no sweep {sweepHash} under {results}");
        return manifest!.Runs.ToDictionary(r => r.Hash, r => store.Outcomes(manifest, r));
    }

    public static bool AllRunsFinished(string results, string sweepHash) =>
        new SweepStore(results).Find(sweepHash) is { } manifest
        && manifest.Runs.All(r => new SweepStore(results).Outcomes(manifest, r) is [.., { IsLast: true }]);

    public static int FinishedIterations(string results, string sweepHash) =>
        new SweepStore(results).Find(sweepHash) is { } manifest
            ? manifest.Runs.Sum(r => new SweepStore(results).Outcomes(manifest, r).Count)
            : 0;

    /// <summary>
    /// Every artifact of a finished sweep is whole: each npz opens and holds arrays, each summary.json parses, each
    /// curves.csv has its header and rows, summary.csv has one finished row per iteration.
    /// </summary>
    public static void AssertIntact(string results, string sweepHash)
    {
        var store = new SweepStore(results);
        var manifest = store.Find(sweepHash)!;
        string sweep = store.SweepPath(manifest);
        var problems = new List<string>();
        int iterations = 0;
        foreach (var run in manifest.Runs)
        {
            string path = store.RunPath(manifest, run);
            var outcomes = store.Outcomes(manifest, run);
            if (outcomes is not [.., { IsLast: true }])
            {
                problems.Add($"{path}: run not finished ({outcomes.Count} iterations)");
            }

            iterations += outcomes.Count;
            foreach (string npz in Directory.EnumerateFiles(path, "*.npz", SearchOption.AllDirectories).Where(f => !Path.GetFileName(f).StartsWith('.')))
            {
                try
                {
                    if (NpzFile.Read(npz).Count == 0)
                    {
                        problems.Add($"{npz}: no arrays");
                    }
                }
                catch (Exception error)
                {
                    problems.Add($"{npz}: does not open ({error.GetType().Name}: {error.Message})");
                }
            }

            foreach (var outcome in outcomes)
            {
                string directory = Path.Combine(path, $"iter-{outcome.Iteration:D3}");
                foreach (string required in new[] { "final.npz", "mask.npz", "curves.csv", "summary.json" })
                {
                    if (!File.Exists(Path.Combine(directory, required)))
                    {
                        problems.Add($"{directory}: no {required}");
                    }
                }

                try
                {
                    SpecJson.Parse<IterationOutcome>(File.ReadAllText(Path.Combine(directory, "summary.json")));
                    var curve = File.ReadAllLines(Path.Combine(directory, "curves.csv"));
                    if (curve.Length < 2 || !curve[0].StartsWith("step,", StringComparison.Ordinal))
                    {
                        problems.Add($"{directory}/curves.csv: {curve.Length} lines");
                    }
                }
                catch (Exception error)
                {
                    problems.Add($"{directory}: {error.GetType().Name}: {error.Message}");
                }
            }
        }

        string summary = Path.Combine(sweep, SweepLayout.SummaryFile);
        if (!File.Exists(summary))
        {
            problems.Add($"{summary}: missing");
        }
        else
        {
            var rows = CsvText.Parse(File.ReadAllText(summary));
            int finishedRows = rows.Count(r => r[^1] == "finished");
            if (finishedRows != iterations)
            {
                problems.Add($"{summary}: {finishedRows} finished rows for {iterations} finished iterations");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }
}
