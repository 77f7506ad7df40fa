using Grid.Bench;

var commands = new Dictionary<string, (string Help, Action<string[]> Run)>
{
    ["engine"] = ("ms per training step of the paper's network and a Fashion-MNIST-scale one, against the matmul roofline", EngineBenchmark.Run),
    ["engine-run"] = ("one run spec (spec.json) trained to the end by the engine alone: the grid-overhead baseline", EngineRun.Run),
    ["contention"] = ("a quickstart-size iteration alone and beside busy loops or a second trainer: slowdown per thread policy", ContentionBenchmark.Run),
    ["contention-train"] = ("(used by contention) one timed quickstart-size iteration; --forever trains until killed", ContentionTrainer.Run),
    ["sparse"] = ("step time along an IMP schedule (u = 0.7^n) with dense and with auto (sparse where faster) kernels", SparseBenchmark.Run),
    ["sparse-parts"] = ("the sparse kernel's products and packings alone for one layer: ms and GFMA/s per density and thread count", SparsePartsBenchmark.Run),
    ["bundle"] = ("fused training (issue 14): K runs as one batched model against the solo path, aggregate steps/s side by side", BundleBenchmark.Run),
    ["bundle-parts"] = ("the parts of a bundled step (products, BatchNorm) against K solo ones, their bits, and the alternatives not taken", BundlePartsBenchmark.Run),
    ["analysis"] = ("S(d) + connectivity time for 3072 x 1024 masks at u = 1%", _ => Grid.Analysis.Benchmarks.AnalysisBenchmark.Run(Console.Out)),
};

if (args.Length == 0 || !commands.TryGetValue(args[0], out var command))
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project src/Bench -- <benchmark> [options]\n\nbenchmarks:");
    foreach (var (name, (help, _)) in commands)
    {
        Console.Error.WriteLine($"  {name,-16} {help}");
    }

    Console.Error.WriteLine("\nengine options: --device cpu|cuda|auto (default cpu), --steps N (default 20), --only paper|fashion");
    Console.Error.WriteLine("sparse options: --steps N (default 5), --iterations N (default 18), --only paper|fashion, --u U (one density only; --auto-only skips dense, e.g. to profile), --packed-ab [--rounds R] (packed activations against unpacked, at --u or four densities)");
    Console.Error.WriteLine("sparse-parts options: --u 0.01,0.1,0.343, --threads 1,2, --outputs 1024 --inputs 1024 --batch 1000, --rounds 7, --repetitions 10, --block 64 (rows per L1 block)");
    Console.Error.WriteLine("bundle options: --only small|fashion|paper, --k K, --steps N (per member per timing), --repetitions R (default 5), --threads 1,2; or a custom case: --hidden 128,128,128 [--inputs 784] [--classes 10] [--batch 100] [--k 8]");
    Console.Error.WriteLine("bundle-parts options: --only small|fashion|paper, --threads 1,2");
    Console.Error.WriteLine("contention options: --steps N (default 2000), --pairs P (default 3), --competitor busy,trainer, --policy grid,libtorch, --spin N (grid policy's GOMP_SPINCOUNT)");
    return args.Length == 0 ? 0 : 2;
}

command.Run(args[1..]);
return 0;
