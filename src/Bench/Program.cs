using Grid.Bench;

var commands = new Dictionary<string, (string Help, Action<string[]> Run)>
{
    ["engine"] = ("ms per training step of the paper's network and a Fashion-MNIST-scale one, against the matmul roofline", EngineBenchmark.Run),
    ["engine-run"] = ("one run spec (spec.json) trained to the end by the engine alone: the grid-overhead baseline", EngineRun.Run),
    ["analysis"] = ("S(d) + connectivity time for 3072 x 1024 masks at u = 1%", _ => Grid.Analysis.Benchmarks.AnalysisBenchmark.Run(Console.Out)),
};

if (args.Length == 0 || !commands.TryGetValue(args[0], out var command))
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project src/Bench -- <benchmark> [options]\n\nbenchmarks:");
    foreach (var (name, (help, _)) in commands)
    {
        Console.Error.WriteLine($"  {name,-10} {help}");
    }

    Console.Error.WriteLine("\nengine options: --device cpu|cuda|auto (default cpu), --steps N (default 20), --only paper|fashion");
    return args.Length == 0 ? 0 : 2;
}

command.Run(args[1..]);
return 0;
