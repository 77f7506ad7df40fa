using Grid.Bench.Commands;
using Grid.Engine.Sweeps;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Grid.Bench;

/// <summary>
/// The benchmark console's command line, parsed by Spectre.Console.Cli: <c>&lt;benchmark&gt; [options]</c>. Help
/// (<c>--help</c>, <c>-h</c>; no arguments lists the benchmarks) goes to the output, exit code 0. A command line a
/// benchmark cannot take gets one line on the error writer naming the option or argument and the reason, a line saying
/// where the options are listed, exit code 2, and nothing runs.
/// </summary>
public static class BenchApp
{
    public const int UsageError = 2;

    /// <summary>How the README runs the console: the name its usage lines show.</summary>
    public const string Invocation = "dotnet run -c Release --project src/Bench --";

    /// <summary>The benchmarks and the command behind each.</summary>
    public static readonly IReadOnlyDictionary<string, Type> Commands = new Dictionary<string, Type>
    {
        ["engine"] = typeof(EngineCommand),
        ["engine-run"] = typeof(EngineRunCommand),
        ["mkl-dispatch"] = typeof(MklDispatchCommand),
        ["contention"] = typeof(ContentionCommand),
        ["contention-train"] = typeof(ContentionTrainCommand),
        ["sparse"] = typeof(SparseCommand),
        ["sparse-parts"] = typeof(SparsePartsCommand),
        ["row-walk"] = typeof(RowWalkCommand),
        ["batch"] = typeof(BatchCommand),
        ["sparsity-steps"] = typeof(SparsityStepsCommand),
        ["bundle"] = typeof(BundleCommand),
        ["bundle-parts"] = typeof(BundlePartsCommand),
        ["analysis"] = typeof(AnalysisCommand),
    };

    /// <param name="registrar">Where Spectre resolves the commands from; null: it creates them.</param>
    public static int Run(IReadOnlyList<string> args, IAnsiConsole output, TextWriter errors, ITypeRegistrar? registrar = null)
    {
        var spelt = OneLetterOptions.Spell(args);
        var app = new CommandApp(registrar);
        app.Configure(config => Configure(config, output, errors, spelt));
        return app.Run(spelt);
    }

    private static void Configure(IConfigurator config, IAnsiConsole output, TextWriter errors, IReadOnlyList<string> args)
    {
        config.SetApplicationName(Invocation);
        config.ConfigureConsole(output);
        // Relaxed parsing (Spectre's default), not UseStrictParsing: strict parsing in 0.57.2 retries a command line it
        // cannot parse with its default-command marker inserted, so `--steps` without a value got the value
        // "__default_command". Unknown options are refused by BenchCommand from what Spectre leaves as remaining.
        // The root's own examples: without them Spectre lists the commands' examples there.
        config.AddExample("engine");
        config.AddExample("sparse", "--help");
        config.AddCommand<EngineCommand>("engine")
            .WithDescription("ms per training step of the paper's network and a Fashion-MNIST-scale one, against the matmul roofline.");
        config.AddCommand<EngineRunCommand>("engine-run")
            .WithDescription("One run spec (spec.json) trained to the end by the engine alone: the grid-overhead baseline.");
        config.AddCommand<MklDispatchCommand>("mkl-dispatch")
            .WithDescription("The dense step and the 2048^3 roofline with MKL's AVX-512 kernels on AMD (GRID_MKL_AVX512=auto) against MKL's own choice (off), interleaved pairs of processes.");
        config.AddCommand<ContentionCommand>("contention")
            .WithDescription("A quickstart-size iteration alone and beside busy loops or a second trainer: slowdown per thread policy.");
        config.AddCommand<ContentionTrainCommand>("contention-train")
            .WithDescription("(Used by contention.) One timed quickstart-size iteration; --forever trains until killed.");
        config.AddCommand<SparseCommand>("sparse")
            .WithDescription("Step time along an IMP schedule (u = 0.7^n) with dense and with auto (sparse where faster) kernels, and the bound: the schedule with sparse products as fast per weight as dense BLAS.")
            .WithExample("sparse", "--only", "fashion", "-u", "0.0047", "--auto-only", "--steps", "400")
            .WithExample("sparse", "--packed-ab")
            .WithExample("sparse", "--only", "paper", "-u", "0.01", "--phases");
        config.AddCommand<SparsePartsCommand>("sparse-parts")
            .WithDescription("The sparse kernel's products and packings alone for one layer: ms and GFMA/s per density and thread count.");
        config.AddCommand<RowWalkCommand>("row-walk")
            .WithDescription("The sparse products' memory bound: one core reading packed rows in a sparse layer's order, GB/s and FMA lanes/s per core.");
        config.AddCommand<BatchCommand>("batch")
            .WithDescription("Drawing a batch on the CPU: the engine's one-pass normalisation against libtorch's three passes, ms per batch and bits.");
        config.AddCommand<SparsityStepsCommand>("sparsity-steps")
            .WithDescription("LeNet-300-100's step at the densities of IMP's first iterations against the unpruned step, per thread count and kernel setting.")
            .WithExample("sparsity-steps", "--densities", "1,0.64", "--threads", "1,2", "--kernels", "auto,dense");
        config.AddCommand<BundleCommand>("bundle")
            .WithDescription("Fused training (issue 14): K runs as one batched model against the solo path, aggregate steps/s side by side.")
            .WithExample("bundle", "--hidden", "128,128,128", "-k", "8");
        config.AddCommand<BundlePartsCommand>("bundle-parts")
            .WithDescription("The parts of a bundled step (products, BatchNorm) against K solo ones, their bits, and the alternatives not taken.");
        config.AddCommand<AnalysisCommand>("analysis")
            .WithDescription("S(d) + connectivity time for 3072 x 1024 masks at u = 1%.");
        config.SetExceptionHandler((error, _) => Refuse(errors, error, args));
    }

    /// <summary>A command line refused: its line and exit code 2. Anything else a benchmark throws is printed whole, exit code 1.</summary>
    private static int Refuse(TextWriter errors, Exception error, IReadOnlyList<string> args)
    {
        if (error is not (CommandAppException or BenchArgumentException))
        {
            errors.WriteLine(error);
            return 1;
        }

        string? command = args.Count > 0 && Commands.ContainsKey(args[0]) ? args[0] : null;
        errors.WriteLine(command is null ? error.Message : $"{command}: {error.Message}");
        if (error is CommandAppException)
        {
            string? closest = command is null && args.Count > 0 ? Suggest.Closest(args[0], Commands.Keys) : null;
            errors.WriteLine(command is not null ? $"`{Invocation} {command} --help` lists its options."
                : closest is not null ? $"Did you mean {closest}? (`{Invocation} --help` lists the benchmarks.)"
                : $"`{Invocation} --help` lists the benchmarks.");
        }

        return UsageError;
    }
}
