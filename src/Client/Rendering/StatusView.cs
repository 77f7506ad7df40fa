using Spectre.Console;

namespace Grid.Client.Rendering;

/// <summary>Tables of sweeps and of the runs of one sweep.</summary>
public static class StatusView
{
    public static void Sweeps(IAnsiConsole console, IReadOnlyList<SweepStatus> sweeps, string where)
    {
        if (sweeps.Count == 0)
        {
            console.MarkupLine($"No sweeps in {Format.Escape(where)}.");
            return;
        }

        var table = new Table().Border(TableBorder.Rounded);
        foreach (string column in new[] { "sweep", "hash", "state", "runs done", "iterations", "created", "directory" })
        {
            table.AddColumn(column);
        }

        foreach (var s in sweeps)
        {
            table.AddRow(
                Format.Escape(s.Sweep.Name),
                s.Sweep.Hash,
                State(s.State),
                $"{s.FinishedRuns}/{s.Runs.Count}",
                s.FinishedIterations.ToString(),
                s.Sweep.Created.ToLocalTime().ToString("yyyy-MM-dd HH:mm"),
                Format.Escape(s.Sweep.Directory));
        }

        console.Write(table);
    }

    public static void Runs(IAnsiConsole console, SweepStatus status)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"[bold]{Format.Escape(status.Sweep.Name)}[/] [grey]({status.Sweep.Hash})[/] {State(status.State)}");
        table.AddColumn("#");
        foreach (string axis in status.Sweep.Axes)
        {
            table.AddColumn(Format.Escape(axis));
        }

        foreach (string column in new[] { "state", "iterations", "u", "best val acc", "at u", "ETA" })
        {
            table.AddColumn(column);
        }

        foreach (var run in status.Runs)
        {
            var row = new List<string> { run.Index.ToString() };
            row.AddRange(run.Values.Select(Format.Escape));
            string state = run.State == Abstractions.Contracts.RunState.Training ? RunState(run.State) + Where(run) : RunState(run.State);
            row.Add(run.Error is null ? state : $"{state} [grey]{Format.Escape(run.Error)}[/]");
            row.Add(run.State == Abstractions.Contracts.RunState.Finished ? $"{run.FinishedIterations}" : $"{run.FinishedIterations}/~{run.EstimatedIterations}");
            row.Add(Format.Fraction(run.Last?.UnprunedFraction));
            row.Add(Format.Accuracy(run.Best?.BestValAccuracy));
            row.Add(Format.Fraction(run.Best?.UnprunedFraction));
            row.Add(run.IsTerminal ? "" : Format.Duration(run.EtaSeconds));
            table.AddRow([.. row]);
        }

        console.Write(table);
        console.MarkupLine("[grey]u: unpruned fraction after the last finished iteration; best val acc: the highest best validation accuracy over the run's iterations, reached at unpruned fraction \"at u\"[/]");
        if (status.Message is { } message)
        {
            console.MarkupLine($"[yellow]{Format.Escape(message)}[/]");
        }

        foreach (string error in status.Runs.SelectMany(r => r.AnalysisErrors.Select(e => $"run {r.Index}: analysis {e}")).Take(10))
        {
            console.MarkupLine($"[yellow]{Format.Escape(error)}[/]");
        }

        foreach (string warning in status.Runs.SelectMany(r => r.Warnings).Take(10))
        {
            console.MarkupLine($"[yellow]warning:[/] {Format.Escape(warning)}");
        }
    }

    /// <summary>" on cuda:0, in a bundle of 4", " waiting for its bundle: 2 of 4 queued", or nothing: where a training
    /// run's iteration is.</summary>
    private static string Where(RunStatus run)
    {
        if (run.GatherCapacity > 0)
        {
            return $" [grey]waiting for its bundle: {run.Gathered} of {run.GatherCapacity} queued[/]";
        }

        string bundle = run.BundleMembers > 1 ? $", in a bundle of {run.BundleMembers}" : "";
        return run.Device is { } device ? $" [grey]on {Format.Escape(device)}{bundle}[/]" : "";
    }

    public static string State(SweepState state) => state switch
    {
        SweepState.Finished => "[green]finished[/]",
        SweepState.Running => "[blue]running[/]",
        SweepState.Cancelled => "[yellow]cancelled[/]",
        SweepState.Failed => "[red]failed[/]",
        _ => "[grey]idle[/]",
    };

    public static string RunState(RunState state) => state switch
    {
        Abstractions.Contracts.RunState.Finished => "[green]finished[/]",
        Abstractions.Contracts.RunState.Training => "[blue]training[/]",
        Abstractions.Contracts.RunState.Queued => "[grey]queued[/]",
        Abstractions.Contracts.RunState.Failed => "[red]failed[/]",
        Abstractions.Contracts.RunState.Cancelled => "[yellow]cancelled[/]",
        Abstractions.Contracts.RunState.Analysing => "[blue]analysing[/]",
        _ => "[grey]pending[/]",
    };
}
