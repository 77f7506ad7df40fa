using Grid.Engine.Sweeps;
using Spectre.Console;

namespace Grid.Client.Rendering;

/// <summary>The expanded runs of a sweep (grid run --dry-run).</summary>
public static class RunTable
{
    public static void Render(IAnsiConsole console, SweepDefinition sweep, IReadOnlyList<RunPlan> runs)
    {
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
        foreach (var run in runs)
        {
            var row = new List<string> { run.Index.ToString(), run.Hash };
            row.AddRange(run.Values.Select(v => Format.Escape(v.Display)));
            row.Add(run.Spec.Training.Steps.ToString());
            row.Add($"{IterationEstimate.For(run.Spec)} (max {run.Spec.Pruning.MaxIterations + 1})");
            table.AddRow([.. row]);
        }

        console.Write(table);
        long steps = runs.Sum(r => (long)r.Spec.Training.Steps * IterationEstimate.For(r.Spec));
        console.MarkupLine($"{runs.Count} run{(runs.Count == 1 ? "" : "s")}, about {steps:N0} training steps in all; results would go to [blue]{Format.Escape(sweep.DirectoryName())}[/]. Nothing was written (--dry-run).");
        console.MarkupLine($"analysis: {Format.Escape(Format.AnalysisList(sweep.Analysis))}");
    }
}
