using System.Diagnostics;
using Grid.Bench.Commands;
using Grid.Engine.Data;
using Grid.Engine.Model;
using Grid.Engine.Runtime;
using Grid.Engine.Specs;
using Grid.Engine.Training;
using static TorchSharp.torch;

namespace Grid.Bench;

/// <summary>
/// Dense training speed (ms per SGD step, the full step: batch sampling and normalisation on the device,
/// forward, backward, masking, update) against this machine's fp32 matmul roofline measured in the same run.
/// </summary>
public static class EngineBenchmark
{
    private sealed record Workload(string Name, ImageShape Shape, int[] Hidden, int Classes, int Batch);

    private static readonly Workload[] Workloads =
    [
        new("paper", new ImageShape(3, 32, 32), [1024, 1024, 1024], 1000, 1000),
        new("fashion", new ImageShape(1, 28, 28), [1024, 1024, 1024], 10, 1000),
        new("fashion-small", new ImageShape(1, 28, 28), [300, 300, 300], 10, 100),
    ];

    /// <summary>How the engine's output names MKL's kernels (read by <see cref="MklDispatchBenchmark"/>).</summary>
    public const string MklLinePrefix = "MKL kernels: ";

    public static void Run(EngineSettings settings)
    {
        int steps = settings.Steps;
        string? only = settings.Only;
        var device = Resolve(settings.Device);
        Console.WriteLine($"device {device}, torch threads {get_num_threads()}, {steps} timed steps per workload");
        Console.WriteLine($"{MklLinePrefix}{MklDispatch.Describe()}");
        double roofline = MatmulRoofline.MeasureGflops(device);
        Console.WriteLine($"fp32 matmul roofline (2048^3, best of 10 warm runs, {get_num_threads()} threads): {roofline:F1} GFLOP/s");
        if (MatmulRoofline.TheoreticalPeak(get_num_threads()) is { } peak)
        {
            Console.WriteLine($"theoretical fp32 peak: {peak.Formula} = {peak.Gflops:F1} GFLOP/s");
        }
        Console.WriteLine($"{"workload",-14} {"network",-22} {"batch",6} {"ms/step",9} {"GFLOP/step",11} {"GFLOP/s",8} {"roofline",9}");
        foreach (var workload in Workloads.Where(w => only is null || w.Name == only))
        {
            var (msPerStep, gflopPerStep) = Measure(workload, device, steps);
            double achieved = gflopPerStep / (msPerStep / 1000);
            string network = $"{workload.Shape.Features}-{workload.Hidden[0]}x{workload.Hidden.Length}-{workload.Classes}";
            Console.WriteLine($"{workload.Name,-14} {network,-22} {workload.Batch,6} {msPerStep,9:F1} {gflopPerStep,11:F2} {achieved,8:F1} {achieved / roofline,9:P0}");
        }
    }

    private static Device Resolve(string deviceName)
    {
        try
        {
            return Devices.Resolve(deviceName);
        }
        catch (ArgumentException e)
        {
            throw new BenchArgumentException($"--device: {e.Message}");
        }
    }

    private static (double MsPerStep, double GflopPerStep) Measure(Workload workload, Device device, int steps)
    {
        var split = SyntheticSplit(workload);
        var source = new DatasetBatchSource(split, device, transform: null);
        var network = new NetworkSpec { Hidden = workload.Hidden };
        using var model = new MaskedMlp(workload.Shape.Features, network, workload.Classes, 0.99, device);
        using var generator = new Generator(1);
        model.Initialise(generator);
        var warmup = new TrainingSpec { BatchSize = workload.Batch, Steps = 3, ValidateEvery = 1000 };
        new Trainer(warmup, source).Train(model, generator, [], null, CancellationToken.None);
        var timed = warmup with { Steps = steps };
        var clock = Stopwatch.StartNew();
        new Trainer(timed, source).Train(model, generator, [], null, CancellationToken.None);
        double evaluation = ValidationSeconds(model, source, workload.Batch);
        double ms = (clock.Elapsed.TotalSeconds - evaluation) * 1000 / steps;
        return (ms, StepFlops(model.LayerWidths, workload.Batch) / 1e9);
    }

    /// <summary>Forward 2·B·Σ n_in·n_out, weight gradients the same, input gradients the same but for layer 1.</summary>
    public static double StepFlops(IReadOnlyList<int> widths, int batch)
    {
        double products = 0;
        for (int l = 0; l + 1 < widths.Count; l++)
        {
            products += (double)widths[l] * widths[l + 1];
        }

        return 2.0 * batch * (3 * products - (double)widths[0] * widths[1]);
    }

    /// <summary>The trainer validates once at its last step; that time is not a training step.</summary>
    private static double ValidationSeconds(MaskedMlp model, IBatchSource source, int batch)
    {
        var clock = Stopwatch.StartNew();
        Evaluation.Evaluate(model, source, batch);
        return clock.Elapsed.TotalSeconds;
    }

    private static DatasetSplit SyntheticSplit(Workload workload) =>
        SyntheticData.Split(workload.Shape, workload.Classes, trainCount: 20_000, validationCount: workload.Batch);
}
