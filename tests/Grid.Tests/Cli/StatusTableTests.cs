using Grid.Client.Rendering;
using Grid.Tests.Support;

namespace Grid.Tests.Cli;

/// <summary>The run table of `grid run`, `grid watch` and `grid status`: best accuracy over the iterations, and where;
/// a training run's device and bundle.</summary>
public sealed class StatusTableTests
{
    private static IterationResult Iteration(int n, double u, double accuracy) =>
        new() { Iteration = n, UnprunedFraction = u, BestValAccuracy = accuracy, IsLast = n == 3 };

    // Accuracy rises with pruning, then falls: the best is the third iteration, not the last.
    private static readonly IterationResult[] Iterations =
        [Iteration(0, 1, 0.7512), Iteration(1, 0.7, 0.7803), Iteration(2, 0.49, 0.8125), Iteration(3, 0.343, 0.6431)];

    [Fact]
    public void The_best_iteration_is_the_one_with_the_highest_accuracy_and_the_earliest_of_equals()
    {
        Assert.Equal(2, IterationResults.Best(Iterations)!.Iteration);
        Assert.Equal(0, IterationResults.Best([Iteration(0, 1, 0.5), Iteration(1, 0.7, 0.5)])!.Iteration);
        Assert.Null(IterationResults.Best([]));
    }

    [Fact]
    public void A_finished_run_shows_its_best_accuracy_and_the_u_where_it_was_reached()
    {
        string table = Render(SweepState.Finished, new RunStatus
        {
            Index = 1, Values = ["0"], State = RunState.Finished, FinishedIterations = 4, EstimatedIterations = 4,
            Last = Iterations[^1], Best = IterationResults.Best(Iterations),
        });

        var header = table.Split('\n').First(l => l.Contains("best val acc", StringComparison.Ordinal));
        var row = table.Split('\n').First(l => l.Contains("│ finished", StringComparison.Ordinal));
        Assert.Contains("at u", header);
        Assert.Equal(["1", "0", "finished", "4", "0.343", "0.8125", "0.49"], Cells(row));
    }

    [Fact]
    public void A_training_run_shows_its_device_and_bundle_or_that_it_waits_for_its_bundle()
    {
        string table = Render(SweepState.Running,
            new RunStatus { Index = 1, Values = ["0"], State = RunState.Training, Device = "cuda:0", BundleMembers = 4 },
            new RunStatus { Index = 2, Values = ["1"], State = RunState.Training, Gathered = 2, GatherCapacity = 4 },
            new RunStatus { Index = 3, Values = ["2"], State = RunState.Training, Device = "cpu", BundleMembers = 1 });

        var rows = table.Split('\n').Where(l => l.Contains("│ training", StringComparison.Ordinal)).ToList();

        Assert.Equal(3, rows.Count);
        Assert.Contains("training on cuda:0, in a bundle of 4", rows[0]);
        Assert.Contains("training waiting for its bundle: 2 of 4 queued", rows[1]);
        Assert.Equal("training on cpu", Cells(rows[2])[2]); // alone: no bundle named
    }

    private static string[] Cells(string row) =>
        [.. row.Split('│', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(c => c.Length > 0)];

    /// <summary>`grid status`'s run table of a sweep over seeds in <paramref name="state"/> with these runs.</summary>
    private static string Render(SweepState state, params RunStatus[] runs)
    {
        var status = new SweepStatus
        {
            Sweep = new SweepInfo { Name = "tiny", Hash = "0123456789abcdef", Axes = ["seed"], RunCount = runs.Length },
            State = state,
            Runs = runs,
        };
        var writer = new StringWriter();
        StatusView.Runs(PlainConsole.Create(writer, width: 200), status);
        return writer.ToString();
    }
}
