using Grid.Client.Cluster;
using Grid.Client.Rendering;
using Grid.Client.Specs;
using Grid.Engine.Runs.Store;
using Grid.Engine.Sweeps;
using Grid.Grains.Sweeps;
using Grid.Grains.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Grid.Client.Commands;

/// <summary>grid run SPEC: validate, submit (or resume), watch.</summary>
public sealed class RunCommand(IAnsiConsole console) : AsyncCommand<RunSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, RunSettings settings, CancellationToken cancellationToken)
    {
        string? gateway = GatewayAddress.FromSettings(settings.Gateway);
        if (settings.Detach && gateway is null)
        {
            ErrorView.Problem(console, "--detach needs a running cluster (--gateway HOST:PORT or $GRID_GATEWAY): an embedded silo stops with this process.");
            return ExitCodes.InvalidInput;
        }

        if (gateway is not null && (settings.Device is not null || settings.SlotsText is not null))
        {
            ErrorView.Problem(console, "--device and --slots set up the embedded silo; a cluster (--gateway or $GRID_GATEWAY) trains with its silos' own Grid:Device and Grid:DeviceSlots.");
            return ExitCodes.InvalidInput;
        }

        if (gateway is not null && settings.MetricsPortText is not null)
        {
            ErrorView.Problem(console, "--metrics-port serves the embedded silo's metrics; the silos of a cluster (--gateway or $GRID_GATEWAY) serve their own /metrics on their web port (docs/metrics.md).");
            return ExitCodes.InvalidInput;
        }

        // What the embedded silo would train on, resolved now: a device that cannot be used fails before anything starts.
        if (gateway is null && EmbeddedDeviceProblem(settings) is { } deviceProblem)
        {
            ErrorView.Problem(console, deviceProblem);
            return ExitCodes.InvalidInput;
        }

        // Dataset files are checked here when this machine trains (embedded); a cluster checks its own files. A dry run
        // may be a laptop checking a sweep meant for a cluster: a dataset absent here is then a warning (unless --strict).
        var options = SweepChecks.Options(checkFiles: gateway is null) with { AbsentDatasetIsWarning = settings.DryRun && !settings.Strict };
        var file = SweepFile.Load(settings.Spec, options, overrides: settings.Overrides);
        if (!file.IsValid)
        {
            ErrorView.SpecErrors(console, settings.Spec, file.Errors);
            return ExitCodes.InvalidInput;
        }

        var sweep = file.Sweep;
        foreach (string description in file.OverrideDescriptions)
        {
            console.MarkupLine($"[grey]override[/] {Format.Escape(description)}");
        }

        if (settings.DryRun)
        {
            var existing = gateway is null ? new SweepStore(settings.ResultsRoot).Find(sweep.Hash()) : null;
            bool inStore = gateway is null && (existing is null || existing.UsesRunStore);
            RunTable.Render(console, sweep, file.Runs, inStore ? StorePlan.For(RunStore.Of(settings.ResultsRoot), file.Runs) : null);
            ErrorView.Warnings(console, file.Warnings);
            if (existing is not null)
            {
                console.MarkupLine($"[grey]{Format.Escape(existing.Directory)} exists: `grid run` resumes it (finished iterations are kept).[/]");
                AnalysisChange(existing.Analysis, sweep.Analysis, dryRun: true);
            }

            return ExitCodes.Ok;
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var connection = gateway is null
            ? await StartEmbeddedAsync(settings, file.Runs, cancellationToken)
            : await GridConnection.ConnectAsync(gateway, cancellationToken);
        var started = clock.Elapsed;
        var coordinator = connection.Client.GetGrain<ISweepGrain>(sweep.Hash());
        var submitted = await coordinator.Submit(new SweepSubmission { DocumentJson = file.Document!.ToJsonString(), SourceText = file.StoredText });
        if (!submitted.Accepted)
        {
            ErrorView.SpecErrors(console, settings.Spec, submitted.Errors);
            return ExitCodes.InvalidInput;
        }

        var info = submitted.Sweep!;
        console.MarkupLine($"[bold]{Format.Escape(info.Name)}[/] [grey]({info.Hash})[/]: {info.RunCount} run{(info.RunCount == 1 ? "" : "s")} → [blue]{Format.Escape(info.Directory)}[/]"
            + (submitted.FinishedIterations > 0 ? $" · resuming, {submitted.FinishedIterations} iterations already finished" : ""));
        if (submitted.Plan is { } plan)
        {
            console.MarkupLine(RunTable.WorkLine(plan.ToTrain, plan.Reused, plan.Shared, plan.Exact));
        }

        if (submitted.PreviousAnalysis is { } previous)
        {
            AnalysisChange(previous, info.Analysis, dryRun: false);
        }
        string watchHint = $"grid watch {info.Name} --gateway {connection.Gateway}";
        if (settings.Detach)
        {
            console.MarkupLine($"Submitted. Follow it with [blue]{Format.Escape(watchHint)}[/]; stop it with [blue]grid cancel {Format.Escape(info.Name)} --gateway {Format.Escape(connection.Gateway)}[/].");
            return ExitCodes.Ok;
        }

        if (connection.Embedded)
        {
            console.MarkupLine($"[grey]Embedded silo; other terminals can watch with `{Format.Escape(watchHint)}`. Ctrl-C cancels (finished iterations stay; run again to resume).[/]");
        }

        try
        {
            var final = await ProgressView.WatchAsync(console, coordinator.GetStatus, cancellationToken);
            var watched = clock.Elapsed;
            StatusView.Runs(console, final);
            console.MarkupLine($"summary: [blue]{Format.Escape(Path.Combine(connection.Embedded ? settings.ResultsRoot : "<cluster results>", info.Directory, SweepLayout.SummaryFile))}[/]");
            string sweepDirectory = Path.Combine(settings.ResultsRoot, info.Directory);
            bool reported = true;
            if (final.State == SweepState.Finished && Directory.Exists(sweepDirectory))
            {
                if (connection.Embedded)
                {
                    connection.BeginStop(); // the report reads only the results directory
                }

                reported = FinishedReport.Render(console, sweepDirectory, cancellationToken);
            }

            console.MarkupLine($"[grey]took {Format.Seconds(clock.Elapsed)}: {(connection.Embedded ? "silo start" : "connect")} {Format.Seconds(started)} · sweep {Format.Seconds(watched - started)} · report {Format.Seconds(clock.Elapsed - watched)}[/]");

            return final.State == SweepState.Finished && reported ? ExitCodes.Ok : ExitCodes.Failure;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            if (connection.Embedded)
            {
                console.MarkupLine("[yellow]Cancelling...[/]");
                var cancelled = await coordinator.Cancel();
                console.MarkupLine($"[yellow]Cancelled.[/] {cancelled.FinishedIterations} finished iterations are kept in {Format.Escape(info.Directory)}; run the same spec again to resume.");
            }
            else
            {
                console.MarkupLine($"[yellow]Stopped watching.[/] The sweep goes on in the cluster: `{Format.Escape(watchHint)}` to watch, `grid cancel {Format.Escape(info.Name)} --gateway {Format.Escape(connection.Gateway)}` to stop it.");
            }

            return ExitCodes.Interrupted;
        }
    }

    /// <summary>Says, visibly, that an existing sweep's analysis list changes and what that does.</summary>
    private void AnalysisChange(IReadOnlyList<string> before, IReadOnlyList<string> after, bool dryRun)
    {
        if (before.SequenceEqual(after, StringComparer.Ordinal))
        {
            return;
        }

        string change = $"analysis list changes from {Format.AnalysisList(before)} to {Format.AnalysisList(after)}";
        console.MarkupLine(dryRun
            ? $"[yellow]{Format.Escape(change)}[/]: `grid run` applies it (the listed analyses run on every finished iteration; nothing is retrained)."
            : $"[yellow]{Format.Escape(change)}[/]: the listed analyses run on every finished iteration (nothing is retrained; outputs of analyses no longer listed stay on disk).");
    }

    /// <summary>Why the embedded silo could not train on its configured devices (--device, else $GRID_DEVICE), or null:
    /// resolved as the silo resolves them (libtorch is loaded only when the setting names CUDA or auto).</summary>
    private static string? EmbeddedDeviceProblem(RunSettings settings)
    {
        var options = Connections.EmbeddedOptions(settings);
        string source = settings.Device is not null ? "--device" : "Grid:Device ($GRID_DEVICE)";
        try
        {
            SlotPlan.Resolve(options);
            return null;
        }
        catch (ArgumentException error)
        {
            return $"{source}: {error.Message}";
        }
        catch (Exception error) when (error is TypeInitializationException or DllNotFoundException)
        {
            return $"{source}: device '{options.Device}' cannot be checked, libtorch does not load: {error.Message}";
        }
    }

    private async Task<GridConnection> StartEmbeddedAsync(RunSettings settings, IReadOnlyList<RunPlan> runs, CancellationToken cancellationToken)
    {
        DatasetPrefetch.Start(runs); // overlaps the silo's start-up
        var options = Connections.EmbeddedOptions(settings);
        string metrics = settings.MetricsPort is { } port ? $", metrics on http://127.0.0.1:{port}/metrics" : "";
        console.MarkupLine($"[grey]Starting an embedded silo ({Format.Escape(options.Device)}, {SlotsText(options.DeviceSlots, options.Device)}, results in {Format.Escape(options.ResultsPath)}{metrics})...[/]");
        return await EmbeddedSilo.StartAsync(options, cancellationToken, settings.MetricsPort);
    }

    private static string SlotsText(int? slots, string device) =>
        slots is { } n ? $"{n} slot{(n == 1 ? "" : "s")}"
        : device == Grid.Engine.Runtime.Devices.Cpu ? $"a slot per core ({Environment.ProcessorCount}, sharing the cores)"
        : "a slot per CUDA device, a slot per core on the CPU";
}
