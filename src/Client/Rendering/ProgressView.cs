using Spectre.Console;

namespace Grid.Client.Rendering;

/// <summary>
/// Watches a sweep by polling its coordinator's status snapshot: live progress bars per run on a terminal, a line
/// every few seconds otherwise. Polling is robust: a client can leave and come back, and a coordinator that moved to
/// another silo answers the next poll.
/// </summary>
public static class ProgressView
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(90);

    /// <summary>Returns the final status, or throws OperationCanceledException when <paramref name="cancellationToken"/> fires.</summary>
    public static async Task<SweepStatus> WatchAsync(IAnsiConsole console, Func<Task<SweepStatus>> poll, CancellationToken cancellationToken)
    {
        var status = await PollAsync(console, poll, cancellationToken);
        if (status.IsTerminal)
        {
            return status;
        }

        return console.Profile.Capabilities.Interactive
            ? await LiveAsync(console, poll, status, cancellationToken)
            : await PlainAsync(console, poll, status, cancellationToken);
    }

    private static async Task<SweepStatus> LiveAsync(IAnsiConsole console, Func<Task<SweepStatus>> poll, SweepStatus status, CancellationToken cancellationToken)
    {
        await console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn())
            .StartAsync(async context =>
            {
                var overall = context.AddTask(Overall(status), maxValue: Math.Max(1, status.Runs.Sum(r => r.EstimatedIterations)));
                var bars = status.Runs.ToDictionary(r => r.RunHash, r => context.AddTask(Describe(r, status.Sweep.Axes), maxValue: Math.Max(1, r.EstimatedIterations)));
                while (true)
                {
                    overall.MaxValue = Math.Max(1, status.Runs.Sum(r => r.EstimatedIterations));
                    overall.Value = status.Runs.Sum(Done);
                    overall.Description = Overall(status);
                    foreach (var run in status.Runs)
                    {
                        if (bars.TryGetValue(run.RunHash, out var bar))
                        {
                            bar.MaxValue = Math.Max(1, run.EstimatedIterations);
                            bar.Value = Done(run);
                            bar.Description = Describe(run, status.Sweep.Axes);
                        }
                    }

                    if (status.IsTerminal)
                    {
                        break;
                    }

                    await Task.Delay(PollInterval, cancellationToken);
                    status = await PollAsync(console, poll, cancellationToken);
                }
            });
        return status;
    }

    private static async Task<SweepStatus> PlainAsync(IAnsiConsole console, Func<Task<SweepStatus>> poll, SweepStatus status, CancellationToken cancellationToken)
    {
        string last = "";
        var lastPrinted = DateTimeOffset.MinValue;
        while (true)
        {
            string line = Overall(status) + Current(status);
            if (line != last && DateTimeOffset.UtcNow - lastPrinted > TimeSpan.FromSeconds(5) || status.IsTerminal)
            {
                console.MarkupLine($"[grey]{DateTime.Now:HH:mm:ss}[/] {line}");
                last = line;
                lastPrinted = DateTimeOffset.UtcNow;
            }

            if (status.IsTerminal)
            {
                return status;
            }

            await Task.Delay(PollInterval, cancellationToken);
            status = await PollAsync(console, poll, cancellationToken);
        }
    }

    /// <summary>One poll; while the cluster is unreachable (a gateway restarting, a coordinator moving) keep trying.</summary>
    private static async Task<SweepStatus> PollAsync(IAnsiConsole console, Func<Task<SweepStatus>> poll, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        bool warned = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return await poll().WaitAsync(cancellationToken);
            }
            catch (Exception error) when (error is not OperationCanceledException && error is not KeyNotFoundException && DateTimeOffset.UtcNow - started < GiveUpAfter)
            {
                if (!warned)
                {
                    console.MarkupLine($"[yellow]lost contact with the sweep ({Format.Escape(error.Message)}); retrying...[/]");
                    warned = true;
                }

                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            }
        }
    }

    private static double Done(RunStatus run) =>
        run.State is RunState.Finished or RunState.Analysing ? Math.Max(1, run.EstimatedIterations)
        : run.FinishedIterations + (run.Current is { TotalSteps: > 0 } c ? (double)c.Step / c.TotalSteps : 0);

    private static string Overall(SweepStatus status) =>
        $"[bold]{Format.Escape(status.Sweep.Name)}[/] {StatusView.State(status.State)} · runs {status.FinishedRuns}/{status.Runs.Count} · iterations {status.FinishedIterations}";

    private static string Current(SweepStatus status)
    {
        var training = status.Runs.Where(r => r.State == RunState.Training && r.Current is not null).ToList();
        return training.Count == 0 ? "" :
            " · " + string.Join(", ", training.Take(3).Select(r => $"#{r.Index} it {r.Current!.Iteration} {r.Current.Step}/{r.Current.TotalSteps}"));
    }

    /// <summary>"best acc 0.8123 at u 0.49": the run's best accuracy over its finished iterations and where.</summary>
    private static string BestSoFar(RunStatus run) =>
        run.Best is { } best ? $"best acc {Format.Accuracy(best.BestValAccuracy)} at u {Format.Fraction(best.UnprunedFraction)}" : "best acc -";

    private static string Bundle(RunStatus run) => run.BundleMembers > 1 ? $" · bundle of {run.BundleMembers}" : "";

    /// <summary>One run's line of the live view (Spectre markup): its matrix values, its state, its ETA.</summary>
    public static string Describe(RunStatus run, IReadOnlyList<string> axes)
    {
        string label = string.Join(" ", axes.Zip(run.Values, (axis, value) => $"{axis.Split('.')[^1]}={value}"));
        string state = run.State switch
        {
            RunState.Training when run.Current is { } c =>
                $"[blue]it {c.Iteration}[/] {c.Step}/{c.TotalSteps} loss {c.TrainLoss:0.###} u {Format.Fraction(c.UnprunedFraction)} acc {Format.Accuracy(c.BestValAccuracy)}{Bundle(run)}",
            RunState.Training when run.GatherCapacity > 0 =>
                $"[blue]it {run.FinishedIterations}[/] waiting for the members of its bundle: {run.Gathered} of {run.GatherCapacity} queued",
            RunState.Training => $"[blue]it {run.FinishedIterations}[/] starting",
            RunState.Finished => $"[green]done[/] {run.FinishedIterations} it, u {Format.Fraction(run.Last?.UnprunedFraction)}, {BestSoFar(run)}",
            RunState.Failed => $"[red]failed[/] {Format.Escape(run.Error ?? "")}",
            RunState.Analysing => $"[blue]analysing[/] {run.AnalysesPending} iteration{(run.AnalysesPending == 1 ? "" : "s")} left, u {Format.Fraction(run.Last?.UnprunedFraction)}, {BestSoFar(run)}",
            _ => StatusView.RunState(run.State),
        };
        string eta = run.IsTerminal || run.EtaSeconds is null ? "" : $" [grey]ETA {Format.Duration(run.EtaSeconds)}[/]";
        return $"#{run.Index} {Format.Escape(label)} {state}{eta}";
    }
}
