using Grid.Analysis.Benchmarks;
using static Grid.Bench.BenchOption;

namespace Grid.Bench;

/// <summary>The benchmark commands and everything each accepts on its command line.</summary>
public static class BenchCommands
{
    private static readonly string[] ThreadPolicies = ["adaptive", "fixed"];

    public static readonly IReadOnlyList<BenchCommand> All =
    [
        new("engine", "ms per training step of the paper's network and a Fashion-MNIST-scale one, against the matmul roofline", EngineBenchmark.Run)
        {
            Options =
            [
                Text("--device", "cpu|cuda|auto", "the device to train on (default cpu)"),
                Integer("--steps", "N", "timed steps per workload (default 20)"),
                Choice("--only", ["paper", "fashion", "fashion-small"], "one workload only"),
            ],
        },
        new("engine-run", "one run spec (spec.json) trained to the end by the engine alone: the grid-overhead baseline", EngineRun.Run)
        {
            Argument = new("spec.json", "a run's spec.json (e.g. results/<sweep>/runs/<run>/spec.json)"),
        },
        new("contention", "a quickstart-size iteration alone and beside busy loops or a second trainer: slowdown per thread policy", ContentionBenchmark.Run)
        {
            Options =
            [
                Integer("--steps", "N", "training steps per timed iteration (default 2000)"),
                Integer("--pairs", "P", "alone/shared pairs per row (default 3)"),
                Choices("--competitor", ["busy", "trainer"], "the competitors, one or both (default both)"),
                Choices("--policy", ["grid", "libtorch"], "the thread policies, one or both (default both)"),
                Integer("--spin", "N", "the grid policy's GOMP_SPINCOUNT (default Grid's own)", minimum: 0),
                Choice("--threads", ThreadPolicies, "the grid policy's thread budget (default adaptive)"),
            ],
        },
        new("contention-train", "(used by contention) one timed quickstart-size iteration; --forever trains until killed", ContentionTrainer.Run)
        {
            Options =
            [
                Integer("--steps", "N", "training steps per iteration (default 2000)"),
                Choice("--threads", ThreadPolicies, "adaptive: the grid's thread budget of one slot; fixed: one thread per core (default adaptive)"),
                Flag("--forever", "train iteration after iteration until killed"),
            ],
        },
        new("sparse", "step time along an IMP schedule (u = 0.7^n) with dense and with auto (sparse where faster) kernels", SparseBenchmark.Run)
        {
            Options =
            [
                Integer("--steps", "N", "timed steps per point (default 5)"),
                Integer("--iterations", "N", "IMP iterations of the schedule (default 18)"),
                Choice("--only", ["paper", "fashion"], "one network only"),
                Density("--u", "one density only"),
                Flag("--auto-only", "skip the dense kernels, e.g. to profile") with { Needs = "--u" },
                Flag("--packed-ab", "packed activations against unpacked, at --u or four densities"),
                Integer("--rounds", "R", "alternating rounds (default 20)") with { Needs = "--packed-ab" },
            ],
        },
        new("sparse-parts", "the sparse kernel's products and packings alone for one layer: ms and GFMA/s per density and thread count", SparsePartsBenchmark.Run)
        {
            Options =
            [
                Densities("--u", "densities (default 0.01,0.1,0.343)"),
                Integers("--threads", "T,T,...", "thread counts (default 1,2)"),
                Integer("--outputs", "N", "the layer's outputs (default 1024)"),
                Integer("--inputs", "N", "the layer's inputs (default 1024)"),
                Integer("--batch", "N", "batch size (default 1000)"),
                Integer("--rounds", "R", "rounds (default 7)"),
                Integer("--repetitions", "N", "calls per part per round (default 10)"),
                Integer("--block", "N", "rows per L1 block (default 64)"),
            ],
        },
        new("bundle", "fused training (issue 14): K runs as one batched model against the solo path, aggregate steps/s side by side", BundleBenchmark.Run)
        {
            Options =
            [
                Choice("--only", ["small", "fashion", "paper"], "one case only"),
                Integer("--k", "K", "runs per bundle (default per case; 8 for --hidden)"),
                Integer("--steps", "N", "steps per member per timing (default per case; 20 for --hidden)"),
                Integer("--repetitions", "R", "interleaved repetitions (default 5)"),
                Integers("--threads", "T,T,...", "thread counts (default 1,2)"),
                Integers("--hidden", "W,W,...", "a custom case of these hidden widths instead of the three cases"),
                Integer("--inputs", "N", "the custom case's inputs (default 784)") with { Needs = "--hidden" },
                Integer("--classes", "N", "the custom case's classes (default 10)") with { Needs = "--hidden" },
                Integer("--batch", "N", "the custom case's batch size (default 100)") with { Needs = "--hidden" },
            ],
        },
        new("bundle-parts", "the parts of a bundled step (products, BatchNorm) against K solo ones, their bits, and the alternatives not taken", BundlePartsBenchmark.Run)
        {
            Options =
            [
                Choice("--only", ["small", "fashion", "paper"], "one case only"),
                Integers("--threads", "T,T,...", "thread counts (default 1,2)"),
            ],
        },
        new("analysis", "S(d) + connectivity time for 3072 x 1024 masks at u = 1%", _ => AnalysisBenchmark.Run(Console.Out)),
    ];

    public static BenchCommand? Find(string name) => All.FirstOrDefault(c => c.Name == name);
}
