using Grid.Engine.Runs;
using Grid.Engine.Sweeps;

namespace Grid.Tests.Specs;

public sealed class SummaryTableTests
{
    private static readonly SweepManifest Manifest = new()
    {
        Hash = "0123456789abcdef",
        Name = "s",
        Axes = ["dataset.fraction", "seed"],
        Runs =
        [
            new ManifestRun { Index = 1, Hash = "aaaaaaaaaaaaaaaa", Values = ["1", "0"] },
            new ManifestRun { Index = 2, Hash = "bbbbbbbbbbbbbbbb", Values = ["1", "1"] },
        ],
    };

    private static IterationOutcome Outcome(int iteration, double accuracy, bool last = false) => new()
    {
        Iteration = iteration,
        UnprunedFraction = Math.Pow(0.7, iteration),
        LayerUnprunedFractions = [Math.Pow(0.7, iteration), Math.Pow(0.7, iteration), 1],
        BestValAccuracy = accuracy,
        BestValTop5 = 0.9,
        BestStep = 100,
        FinalTrainLoss = 0.2,
        TrainSeconds = 1.5,
        IsLast = last,
    };

    [Fact]
    public void One_row_per_run_and_iteration_plus_the_pending_iteration_of_unfinished_runs()
    {
        var inputs = new List<RunSummaryInput>
        {
            new(Manifest.Runs[0], [Outcome(0, 0.8), Outcome(1, 0.82, last: true)], null),
            new(Manifest.Runs[1], [Outcome(0, 0.79)], "training"),
        };

        var rows = CsvText.Parse(SummaryTable.Summary(Manifest, inputs));

        Assert.Equal(["run", "dataset.fraction", "seed", "iteration", "unpruned_fraction", "u_layer1", "u_layer2", "u_layer3", "best_val_accuracy", "best_val_top5", "best_step", "train_seconds", "reason", "status"], rows[0]);
        Assert.Equal(5, rows.Count);
        Assert.Equal(["aaaaaaaaaaaaaaaa", "1", "0", "1", "0.7", "0.7", "0.7", "1", "0.82", "0.9", "100", "1.5", "", "finished"], rows[2]);
        Assert.Equal(["bbbbbbbbbbbbbbbb", "1", "1", "1", "", "", "", "", "", "", "", "", "", "training"], rows[4]);
    }

    [Fact]
    public void A_failed_run_gives_its_reason_beside_the_failed_status()
    {
        var inputs = new List<RunSummaryInput>
        {
            new(Manifest.Runs[0], [Outcome(0, 0.8)], "failed", "iteration 1: training diverged at step 10: loss = NaN, \"try\" smaller"),
            new(Manifest.Runs[1], [Outcome(0, 0.79), Outcome(1, 0.8, last: true)], null),
        };

        var rows = CsvText.Parse(SummaryTable.Summary(Manifest, inputs));

        var failed = Assert.Single(rows, r => r[^1] == "failed");
        Assert.Equal(["aaaaaaaaaaaaaaaa", "1"], failed.Take(2));
        Assert.Equal("iteration 1: training diverged at step 10: loss = NaN, \"try\" smaller", failed[^2]);
        Assert.All(rows.Skip(1).Where(r => r[^1] == "finished"), r => Assert.Equal("", r[^2]));
    }

    [Fact]
    public void The_aggregate_averages_over_the_seed_axis()
    {
        var inputs = new List<RunSummaryInput>
        {
            new(Manifest.Runs[0], [Outcome(0, 0.8)], null),
            new(Manifest.Runs[1], [Outcome(0, 0.6)], null),
        };

        var rows = CsvText.Parse(SummaryTable.Aggregate(Manifest, inputs));

        Assert.Equal(["dataset.fraction", "iteration", "runs", "unpruned_fraction", "best_val_accuracy_mean", "best_val_accuracy_std", "best_val_top5_mean", "best_val_top5_std"], rows[0]);
        var row = Assert.Single(rows.Skip(1));
        Assert.Equal(["1", "0", "2", "1"], row.Take(4));
        Assert.Equal(0.7, double.Parse(row[4], System.Globalization.CultureInfo.InvariantCulture), 6);
        Assert.Equal(0.141421, double.Parse(row[5], System.Globalization.CultureInfo.InvariantCulture), 5);
    }

    [Fact]
    public void Csv_fields_with_commas_and_quotes_round_trip()
    {
        string line = CsvText.Line(["a,b", "say \"hi\"", "[16,16]", "plain"]);

        Assert.Equal(["a,b", "say \"hi\"", "[16,16]", "plain"], CsvText.Parse(line + "\n").Single());
    }

    [Fact]
    public void Sweeps_resolve_by_directory_hash_prefix_or_newest_name()
    {
        var older = new SweepManifest { Hash = "1111222233334444", Name = "s", Directory = "s-1111222233334444", Created = DateTimeOffset.UnixEpoch };
        var newer = new SweepManifest { Hash = "5555666677778888", Name = "s", Directory = "s-5555666677778888", Created = DateTimeOffset.UnixEpoch.AddDays(1) };
        IReadOnlyList<SweepManifest> sweeps = [older, newer];

        Assert.Same(newer, SweepStore.Resolve(sweeps, "s"));
        Assert.Same(older, SweepStore.Resolve(sweeps, "s-1111222233334444"));
        Assert.Same(older, SweepStore.Resolve(sweeps, "1111"));
        Assert.Same(newer, SweepStore.Resolve(sweeps, "results/s-5555666677778888/"));
        Assert.Throws<KeyNotFoundException>(() => SweepStore.Resolve(sweeps, "zzz"));
    }

    [Fact]
    public void The_iteration_estimate_follows_the_stop_criterion_and_the_bounds()
    {
        var spec = new Grid.Engine.Specs.ExperimentSpec();
        int imp = IterationEstimate.For(spec with { Network = spec.Network with { Hidden = [128, 128, 128] } });
        Assert.InRange(imp, 10, 25);
        Assert.Equal(4, IterationEstimate.For(spec with { Pruning = spec.Pruning with { MaxIterations = 3 } }));
        Assert.Equal(2, IterationEstimate.For(spec with { Pruning = spec.Pruning with { Method = "one-shot" } }));
    }
}
