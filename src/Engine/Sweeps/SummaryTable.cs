using System.Globalization;
using System.Text;
using Grid.Engine.Runs;

namespace Grid.Engine.Sweeps;

/// <summary>What is known about one run when the summary is written.</summary>
/// <param name="PendingStatus">State of the run's next iteration (queued, training, failed, cancelled, pending),
/// or null when the run is finished.</param>
/// <param name="Reason">Why the run failed, or which stored file did not verify; shown in the pending row.</param>
public sealed record RunSummaryInput(ManifestRun Run, IReadOnlyList<IterationOutcome> Outcomes, string? PendingStatus, string? Reason = null);

/// <summary>
/// summary.csv: one row per run and finished iteration (status <c>finished</c>), plus one row for the next iteration of
/// every unfinished run (its state, empty metrics). Columns: run, one per axis, iteration, unpruned_fraction,
/// u_layer1..u_layerN (every linear layer), best_val_accuracy, best_val_top5, best_step, train_seconds, reason (why a
/// run failed, or which stored file did not verify; empty otherwise), status (always the last column).
/// aggregate.csv: mean and standard deviation over the seed axis (or over repeats) per axis point and iteration.
/// </summary>
public static class SummaryTable
{
    public const string Finished = "finished";

    public static string Summary(SweepManifest manifest, IReadOnlyList<RunSummaryInput> runs)
    {
        int layers = runs.SelectMany(r => r.Outcomes).Select(o => o.LayerUnprunedFractions.Count).DefaultIfEmpty(0).Max();
        var header = new List<string> { "run" };
        header.AddRange(manifest.Axes);
        header.AddRange(["iteration", "unpruned_fraction"]);
        header.AddRange(Enumerable.Range(1, layers).Select(l => $"u_layer{l}"));
        header.AddRange(["best_val_accuracy", "best_val_top5", "best_step", "train_seconds", "reason", "status"]);
        var text = new StringBuilder(CsvText.Line(header)).Append('\n');
        foreach (var input in runs.OrderBy(r => r.Run.Index))
        {
            foreach (var outcome in input.Outcomes)
            {
                var row = new List<string> { input.Run.Hash };
                row.AddRange(input.Run.Values);
                row.Add(outcome.Iteration.ToString(CultureInfo.InvariantCulture));
                row.Add(N(outcome.UnprunedFraction));
                row.AddRange(Enumerable.Range(0, layers).Select(l => l < outcome.LayerUnprunedFractions.Count ? N(outcome.LayerUnprunedFractions[l]) : ""));
                row.AddRange([N(outcome.BestValAccuracy), N(outcome.BestValTop5), outcome.BestStep.ToString(CultureInfo.InvariantCulture), N(outcome.TrainSeconds), "", Finished]);
                text.Append(CsvText.Line(row)).Append('\n');
            }

            if (input.PendingStatus is { } status)
            {
                var row = new List<string> { input.Run.Hash };
                row.AddRange(input.Run.Values);
                row.Add(input.Outcomes.Count.ToString(CultureInfo.InvariantCulture));
                row.AddRange(Enumerable.Repeat("", 1 + layers + 4));
                row.Add(input.Reason ?? "");
                row.Add(status);
                text.Append(CsvText.Line(row)).Append('\n');
            }
        }

        return text.ToString();
    }

    public static string Aggregate(SweepManifest manifest, IReadOnlyList<RunSummaryInput> runs)
    {
        int seedAxis = manifest.Axes.ToList().IndexOf("seed");
        var keptAxes = manifest.Axes.Where((_, i) => i != seedAxis).ToList();
        var header = new List<string>(keptAxes)
        {
            "iteration", "runs", "unpruned_fraction",
            "best_val_accuracy_mean", "best_val_accuracy_std", "best_val_top5_mean", "best_val_top5_std",
        };
        var text = new StringBuilder(CsvText.Line(header)).Append('\n');
        var groups = runs
            .SelectMany(r => r.Outcomes.Select(o => (Key: r.Run.Values.Where((_, i) => i != seedAxis).ToList(), Outcome: o, r.Run.Index)))
            .GroupBy(x => string.Join('\u001f', x.Key) + '\u001f' + x.Outcome.Iteration)
            .OrderBy(g => g.Min(x => x.Index)).ThenBy(g => g.First().Outcome.Iteration);
        foreach (var group in groups)
        {
            var outcomes = group.Select(x => x.Outcome).ToList();
            var row = new List<string>(group.First().Key)
            {
                outcomes[0].Iteration.ToString(CultureInfo.InvariantCulture),
                outcomes.Count.ToString(CultureInfo.InvariantCulture),
                N(outcomes.Average(o => o.UnprunedFraction)),
                N(outcomes.Average(o => o.BestValAccuracy)), N(Std(outcomes.Select(o => o.BestValAccuracy))),
                N(outcomes.Average(o => o.BestValTop5)), N(Std(outcomes.Select(o => o.BestValTop5))),
            };
            text.Append(CsvText.Line(row)).Append('\n');
        }

        return text.ToString();
    }

    private static double Std(IEnumerable<double> values)
    {
        var list = values.ToList();
        if (list.Count < 2)
        {
            return 0;
        }

        double mean = list.Average();
        return Math.Sqrt(list.Sum(v => (v - mean) * (v - mean)) / (list.Count - 1));
    }

    private static string N(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
