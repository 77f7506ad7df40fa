using System.Diagnostics;
using System.Text.Json;
using Grid.Engine.Runs;
using Grid.Engine.Runtime;
using Grid.Engine.Specs;

namespace Grid.Bench;

/// <summary>
/// Trains one run spec (a run's spec.json) to the end with the engine alone, no grid, into a fresh directory, and
/// prints the wall time: the baseline for the grid's overhead (compare with `time ./grid run` of the same spec). It trains
/// with the thread budget of a one-slot silo, as the grid does.
/// </summary>
public static class EngineRun
{
    public static void Run(string path)
    {
        if (!File.Exists(path))
        {
            throw new BenchArgumentException($"spec.json: {path} does not exist (the path of a run's spec.json, e.g. results/<sweep>/runs/<run>/spec.json)");
        }

        var spec = Read(path);
        string directory = Path.Combine(Path.GetTempPath(), "grid-engine-run", Guid.NewGuid().ToString("N"));
        var device = Devices.Resolve("cpu");
        var clock = Stopwatch.StartNew();
        var lap = Stopwatch.StartNew();
        var outcomes = RunExecutor.RunToEnd(spec, directory, device, null, CancellationToken.None, outcome =>
        {
            Console.WriteLine($"iteration {outcome.Iteration}: {lap.Elapsed.TotalSeconds:F3} s (training {outcome.TrainSeconds:F3} s)");
            lap.Restart();
        }, ThreadBudget.ForSlot(slots: 1));

        double seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"engine alone: {outcomes.Count} iterations in {seconds:F1} s (training {outcomes.Sum(o => o.TrainSeconds):F1} s), last u {outcomes[^1].UnprunedFraction:G3}, best accuracy {outcomes.Max(o => o.BestValAccuracy):P2}");
        Directory.Delete(directory, recursive: true);
    }

    private static ExperimentSpec Read(string path)
    {
        try
        {
            return SpecJson.Parse<ExperimentSpec>(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new BenchArgumentException($"spec.json: {path} is not a run spec: {e.Message}");
        }
    }
}
