using Grid.Client.Cluster;
using Grid.Client.Commands;
using Grid.Client.Rendering;
using Grid.Engine.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Grid.Client;

/// <summary>The `grid` command line.</summary>
public static class GridApp
{
    /// <summary>The commands and the class behind each (for the options an unknown option is compared with).</summary>
    public static readonly IReadOnlyDictionary<string, Type> Commands = new Dictionary<string, Type>
    {
        ["run"] = typeof(RunCommand),
        ["watch"] = typeof(WatchCommand),
        ["status"] = typeof(StatusCommand),
        ["list"] = typeof(ListCommand),
        ["results"] = typeof(ResultsCommand),
        ["report"] = typeof(ReportCommand),
        ["cancel"] = typeof(CancelCommand),
        ["silo"] = typeof(SiloCommand),
        ["schema"] = typeof(SchemaCommand),
        ["compare"] = typeof(CompareCommand),
        ["data"] = typeof(DataListCommand),
        ["data fetch"] = typeof(DataFetchCommand),
        ["data import"] = typeof(DataImportCommand),
        ["store"] = typeof(StoreStatusCommand),
        ["store status"] = typeof(StoreStatusCommand),
        ["store migrate"] = typeof(StoreMigrateCommand),
    };

    public static Task<int> RunAsync(IReadOnlyList<string> args, IAnsiConsole console, CancellationToken cancellationToken)
    {
        if (MissingOptionValue.In(args, Commands) is { } problem)
        {
            ErrorView.Problem(console, problem);
            return Task.FromResult(ExitCodes.InvalidInput);
        }

        if (MklDispatch.SettingProblem(Environment.GetEnvironmentVariable(MklDispatch.Variable)) is { } setting)
        {
            ErrorView.Problem(console, setting);
            return Task.FromResult(ExitCodes.InvalidInput);
        }

        return Create(console, args).RunAsync(args, cancellationToken);
    }

    /// <param name="args">The command line, when known: an unknown option is then answered with the closest known one.</param>
    public static CommandApp Create(IAnsiConsole console, IReadOnlyList<string>? args = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(console);
        var app = new CommandApp(new TypeRegistrar(services));
        app.Configure(config =>
        {
            config.SetApplicationName("grid");
            config.ConfigureConsole(console);
            config.UseStrictParsing(); // an unknown or misspelt option is an error, never ignored (`--dryrun` would train)
            config.SetHelpProvider(new GridHelpProvider(config.Settings));
            config.AddExample("run", "experiments/quickstart.yaml");
            config.AddExample("run", "experiments/fashion-sweep.yaml", "--dry-run");
            config.AddExample("status");
            config.AddExample("results", "quickstart");
            config.AddExample("report", "quickstart");
            config.AddExample("data");
            config.AddExample("store");

            config.AddCommand<RunCommand>("run")
                .WithDescription("Validate a sweep file completely, then train it: on an embedded in-process silo, or on the cluster behind --gateway. "
                    + "Submitting the same file again resumes it (finished iterations are read back, never retrained). "
                    + "Exit codes: 0 finished, 1 failed or unreachable, 2 invalid spec (nothing written), 130 Ctrl-C (embedded: the sweep is cancelled; finished work stays).")
                .WithExample("run", "experiments/quickstart.yaml")
                .WithExample("run", "experiments/fashion-sweep.yaml", "--dry-run")
                .WithExample("run", "experiments/fashion-sweep.yaml", "--slots", "2", "--results", "/data/results")
                .WithExample("run", "experiments/fashion-sweep.yaml", "--gateway", "localhost:30000", "--detach");
            config.AddCommand<WatchCommand>("watch")
                .WithDescription("Live progress of a sweep in a running cluster (per run: iteration, step, loss, best accuracy, unpruned fraction u, ETA). Ctrl-C only stops watching.")
                .WithExample("watch", "fashion-sweep")
                .WithExample("watch", "3fa2c1", "--gateway", "gpu-node:30000");
            config.AddCommand<StatusCommand>("status")
                .WithDescription("State of all sweeps, or of the runs of one sweep (from the cluster with --gateway, else from --results).")
                .WithExample("status")
                .WithExample("status", "fashion-sweep", "--gateway", "localhost:30000");
            config.AddCommand<ListCommand>("list")
                .WithDescription("The sweeps of a cluster (--gateway) or of a results directory.")
                .WithExample("list", "--results", "/data/results");
            config.AddCommand<ResultsCommand>("results")
                .WithDescription("summary.csv of a sweep as a table: one row per run and iteration (u per layer, best validation accuracy/top-5, step, time, status). --aggregate: mean/std over seeds.")
                .WithExample("results", "quickstart")
                .WithExample("results", "fashion-sweep", "--aggregate")
                .WithExample("results", "fashion-sweep", "--csv");
            config.AddCommand<ReportCommand>("report")
                .WithDescription("Run the missing analyses of a sweep and write its self-contained report.html (figures of every run and of the sweep's axes, spec, environment, summary). `run` writes it by itself when a sweep finishes.")
                .WithExample("report", "quickstart")
                .WithExample("report", "results/fashion-sweep-3fa2c1d0e9b8a7f6");
            config.AddCommand<CompareCommand>("compare")
                .WithDescription("Write one HTML page over sweeps or runs: accuracy vs u and training curves overlaid, connectivity and locality summaries, "
                    + "findings against the null models and figures side by side (each sweep: one series per point of its matrix, seeds pooled). "
                    + "Missing connectivity and locality analyses are computed. Exit codes: 0 written, 1 results that do not verify, 2 unknown sweep or run.")
                .WithExample("compare", "quickstart", "fashion-sweep")
                .WithExample("compare", "paper-main/3fa2c1", "paper-main/77b0e4", "--output", "main-seeds.html");
            config.AddCommand<CancelCommand>("cancel")
                .WithDescription("Stop every run of a sweep in a running cluster. Finished iterations stay; `grid run` with the same file resumes.")
                .WithExample("cancel", "fashion-sweep", "--gateway", "localhost:30000");

            config.AddCommand<SiloCommand>("silo")
                .WithDescription("Run a silo in the foreground: a cluster without Kubernetes is a Redis and `grid silo --redis HOST:PORT` on each machine (they share --results). "
                    + "Ctrl-C leaves the cluster cleanly; running sweeps go on on the other silos. Serves /healthz and /metrics (--http-port).")
                .WithExample("silo", "--redis", "db-host:6379", "--devices", "cuda:all", "--results", "/shared/results")
                .WithExample("silo", "--slots", "2");

            config.AddBranch("data", data =>
            {
                data.SetDescription("The datasets on this machine: `grid data` lists each, where runs look for it and whether it is there and valid; "
                    + "`fetch` downloads MNIST, Fashion-MNIST or CIFAR-10 (checksums pinned to the publishers'); `import` places the downsampled ImageNet of image-net.org. "
                    + "Nothing is placed before it validates.");
                data.SetDefaultCommand<DataListCommand>();
                data.AddCommand<DataFetchCommand>("fetch")
                    .WithDescription("Download a dataset, check each file's MD5 against the publisher's, unpack and validate it, then place it "
                        + "(in --dir, else where $GRID_<NAME>_DIR points, else in the data directory). A failed or interrupted fetch leaves nothing behind. "
                        + "Exit codes: 0 placed (or already there), 1 download or check failed, 2 bad command line.")
                    .WithExample("data", "fetch", "mnist")
                    .WithExample("data", "fetch", "cifar10", "--dir", "/data/cifar10")
                    .WithExample("data", "fetch", "fashion-mnist", "--mirror", "http://mirror.lab/fashion/", "--checksums", "fashion.md5");
                data.AddCommand<DataImportCommand>("import")
                    .WithDescription("Validate the downsampled ImageNet downloaded from image-net.org (batch files, pickles or .npz, or their zip archives) by reading every batch, then place a copy.")
                    .WithExample("data", "import", "imagenet32", "~/Downloads")
                    .WithExample("data", "import", "imagenet64", "/scratch/imagenet64", "--dir", "/data/imagenet64");
            });

            config.AddBranch<StoreSettings>("store", store =>
            {
                store.SetDescription("The run store of a results root (store/ beside the sweeps), where every trained iteration is kept once and shared by every sweep: "
                    + "`grid store` says what it holds and which sweeps were written before it; `migrate` brings those in without retraining, so that new sweeps reuse them.");
                store.SetDefaultCommand<StoreStatusCommand>();
                store.AddCommand<StoreStatusCommand>("status")
                    .WithDescription("Trunks (dense iteration 0 per seed and setup), lines (pruned iterations of one procedure), stored iterations, bytes on disk "
                        + "(each file once, however many sweeps link it), trainings, masks cut and imports from the journal, and the sweeps still to migrate.")
                    .WithExample("store", "status", "--results", "/data/results");
                store.AddCommand<StoreMigrateCommand>("migrate")
                    .WithDescription("Bring every sweep written before the run store (sweep.json format 1) into it, without retraining and without copying: "
                        + "each run's finished iterations that verify are hard-linked into the store, the run is linked to them (store.json) and sweep.json says format 2. "
                        + "Work the store already holds is never overwritten. A run whose dataset is not on this machine, or that a silo is training right now, is left as it is; "
                        + "running the command again finishes the job (also after an interruption). "
                        + "Exit codes: 0 every sweep migrated (or nothing to do), 1 some runs were left as they are, 2 bad command line.")
                    .WithExample("store", "migrate", "--dry-run")
                    .WithExample("store", "migrate", "--results", "/data/results");
            });

            config.AddCommand<SchemaCommand>("schema")
                .WithDescription("Print the JSON schema of sweep files (every field with its meaning, bounds, default; the analysis names), generated from the spec records: schema/sweep.schema.json is this output.")
                .WithExample("schema");

            config.SetExceptionHandler((error, _) => Handle(console, error, args ?? []));
        });
        return app;
    }

    private static int Handle(IAnsiConsole console, Exception error, IReadOnlyList<string> args)
    {
        switch (error)
        {
            case CommandAppException app:
                if (app.Pretty is { } pretty)
                {
                    console.Write(pretty);
                }
                else
                {
                    ErrorView.Problem(console, app.Message);
                }

                if (app is CommandParseException parse && UnknownOptionHint.For(parse, args, Commands) is { } hint)
                {
                    console.MarkupLine(Format.Escape(hint));
                }

                return ExitCodes.InvalidInput;
            case OperationCanceledException:
                return ExitCodes.Interrupted;
            case GridConnectionException or KeyNotFoundException or ArgumentException or Engine.Runs.CorruptArtifactException:
                ErrorView.Problem(console, error.Message);
                return ExitCodes.Failure;
            case InvalidDataException or Engine.Data.DatasetException:
                // A results or dataset file that cannot be read: the message names the file.
                ErrorView.Problem(console, error.Message);
                return ExitCodes.Failure;
            default:
                ErrorView.Problem(console, $"{error.GetType().Name}: {error.Message}");
                return ExitCodes.Failure;
        }
    }
}
