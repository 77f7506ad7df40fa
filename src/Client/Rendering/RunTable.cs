using Grid.Engine.Runs.Store;
using Grid.Engine.Sweeps;
using Spectre.Console;

namespace Grid.Client.Rendering;

/// <summary>The expanded runs of a sweep (grid run --dry-run), with what each takes from the run store when it is known.</summary>
public static class RunTable
{
    public static void Render(IAnsiConsole console, SweepDefinition sweep, IReadOnlyList<RunPlan> runs, IReadOnlyList<RunWorkPlan>? work = null)
    {
        var byIndex = work?.ToDictionary(w => w.Index);
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"[bold]{Format.Escape(sweep.Name)}[/] [grey]({sweep.Hash()})[/]");
        table.AddColumn("#");
        table.AddColumn("run");
        foreach (var axis in sweep.Axes)
        {
            table.AddColumn(Format.Escape(axis.Field));
        }

        table.AddColumn("steps");
        table.AddColumn("~iterations");
        if (byIndex is not null)
        {
            table.AddColumn("stored");
            table.AddColumn("shared");
            table.AddColumn("to train");
        }

        foreach (var run in runs)
        {
            var row = new List<string> { run.Index.ToString(), run.Hash };
            row.AddRange(run.Values.Select(v => Format.Escape(v.Display)));
            row.Add(run.Spec.Training.Steps.ToString());
            row.Add($"{IterationEstimate.For(run.Spec)} (max {run.Spec.Pruning.MaxIterations + 1})");
            if (byIndex?.GetValueOrDefault(run.Index) is { } plan)
            {
                row.AddRange(plan.Unknown is not null
                    ? ["?", "?", "?"]
                    : [plan.Reused.ToString(), plan.Shared.ToString(), (plan.Exact ? "" : "~") + plan.ToTrain]);
            }

            table.AddRow([.. row]);
        }

        console.Write(table);
        if (work is not null)
        {
            console.MarkupLine(WorkLine(work.Sum(w => w.ToTrain), work.Sum(w => w.Reused), work.Sum(w => w.Shared), work.All(w => w.Exact)));
            if (work.FirstOrDefault(w => w.Unknown is not null) is { } unknown)
            {
                console.MarkupLine($"[yellow]The run store could not be consulted for every run:[/] {Format.Escape(unknown.Unknown!)}");
            }
        }

        // With the run store consulted, only what will train counts.
        long steps = runs.Sum(r => (long)r.Spec.Training.Steps
            * (byIndex?.GetValueOrDefault(r.Index) is { Unknown: null } plan ? plan.ToTrain : IterationEstimate.For(r.Spec)));
        console.MarkupLine($"{runs.Count} run{(runs.Count == 1 ? "" : "s")}, about {steps:N0} training steps {(work is null ? "in all" : "to train")}; results would go to [blue]{Format.Escape(sweep.DirectoryName())}[/]. Nothing was written (--dry-run).");
        console.MarkupLine($"analysis: {Format.Escape(Format.AnalysisList(sweep.Analysis))}");
    }

    /// <summary>"14 iterations to train, 22 reused from the run store, 4 shared between runs", or that nothing trains.</summary>
    public static string WorkLine(int toTrain, int reused, int shared, bool exact) =>
        toTrain == 0
            ? $"[green]Nothing to train[/]: all {reused} iteration{(reused == 1 ? " is" : "s are")} in the run store."
            : $"{(exact ? "" : "~")}{toTrain} iteration{(toTrain == 1 ? "" : "s")} to train, {reused} reused from the run store"
              + (shared > 0 ? $", {shared} shared between runs (trained once)" : "") + ".";
}
