using Grid.Bench;
using Grid.Bench.Commands;

namespace Grid.Analysis.Tests.BenchConsole;

/// <summary>The command lines the benchmarks took before Spectre parsed them still pass, with the same values.</summary>
public class AcceptedCommandLineTests
{
    [Theory]
    // README.md, docs/throughput.md, docs/grid-overhead.md and scripts/bench-grid-overhead
    [InlineData("engine")]
    [InlineData("analysis")]
    [InlineData("engine-run results/sweep/runs/run/spec.json")]
    [InlineData("bundle")]
    [InlineData("bundle-parts")]
    [InlineData("sparse")]
    [InlineData("sparse-parts")]
    [InlineData("contention")]
    [InlineData("sparse --packed-ab")]
    [InlineData("sparse --only fashion")]
    [InlineData("sparse --only fashion --u 0.0047 --auto-only --steps 400")]
    [InlineData("sparse --only paper -u 0.01 --phases")]
    // what contention gives its timed and competing trainers
    [InlineData("contention-train --steps 2000 --threads adaptive")]
    [InlineData("contention-train --steps 500 --threads fixed --forever")]
    // every option the benchmarks took before
    [InlineData("engine --device cpu --steps 20 --only paper")]
    [InlineData("engine --device auto --only fashion-small")]
    [InlineData("sparse --steps 5 --iterations 18 --only paper --u 0.01")]
    [InlineData("sparse --packed-ab --u 0.343 --rounds 20")]
    [InlineData("sparse --loss-ab --only quickstart -u 1 --steps 500 --rounds 20")]
    [InlineData("sparse --only paper -u 0.01 --phases --steps 5 --rounds 20")]
    [InlineData("sparse-parts --u 0.01,0.1,0.343 --threads 1,2 --outputs 1024 --inputs 1024 --batch 1000 --rounds 7 --repetitions 10 --block 64")]
    [InlineData("batch --features 3072,784 --threads 1,2 --batch 1000 --rounds 11 --repetitions 20")]
    [InlineData("row-walk --rows 160,1024,3072 --threads 1,2 --rounds 7")]
    [InlineData("mkl-dispatch --pairs 3 --steps 10 --only paper")]
    [InlineData("sparsity-steps --densities 1,0.8,0.64 --threads 1,2 --kernels auto,dense --steps 200 --rounds 11")]
    [InlineData("bundle --only small --k 8 --steps 200 --repetitions 5 --threads 1,2")]
    [InlineData("bundle --hidden 128,128,128 --inputs 784 --classes 10 --batch 100 --k 8")]
    [InlineData("bundle-parts --only paper --threads 1,2")]
    [InlineData("contention --steps 2000 --pairs 3 --competitor busy,trainer --policy grid,libtorch --spin 0 --threads fixed")]
    public void TakesTheCommandLine(string line)
    {
        var outcome = BenchLine.Run(line);

        var settingsType = BenchApp.Commands[line.Split(' ')[0]].BaseType!.GetGenericArguments()[0];
        Assert.True(outcome.ExitCode == 0 && outcome.Errors == "", outcome.ToString());
        Assert.IsType(settingsType, outcome.Settings);
    }

    [Fact]
    public void WithoutOptionsEachBenchmarkGetsTheDefaultsItUsedBefore()
    {
        var engine = BenchLine.Settings<EngineSettings>("engine");
        var sparse = BenchLine.Settings<SparseSettings>("sparse");
        var parts = BenchLine.Settings<SparsePartsSettings>("sparse-parts");
        var bundle = BenchLine.Settings<BundleSettings>("bundle");
        var bundleParts = BenchLine.Settings<BundlePartsSettings>("bundle-parts");
        var contention = BenchLine.Settings<ContentionSettings>("contention");
        var trainer = BenchLine.Settings<ContentionTrainSettings>("contention-train");
        var batch = BenchLine.Settings<BatchSettings>("batch");
        var sparsity = BenchLine.Settings<SparsityStepsSettings>("sparsity-steps");
        var walk = BenchLine.Settings<RowWalkSettings>("row-walk");
        var mkl = BenchLine.Settings<MklDispatchSettings>("mkl-dispatch");

        Assert.Equal(("cpu", 20, (string?)null), (engine.Device, engine.Steps, engine.Only));
        Assert.Equal((5, 18, (string?)null, (double?)null, false, false, 20), (sparse.Steps, sparse.Iterations, sparse.Only, sparse.Density, sparse.AutoOnly, sparse.PackedAb, sparse.Rounds));
        Assert.Equal([0.01, 0.1, 0.343], parts.Densities);
        Assert.Equal([1, 2], parts.ThreadCounts);
        Assert.Equal((1024, 1024, 1000, 7, 10, 64), (parts.Outputs, parts.Inputs, parts.Batch, parts.Rounds, parts.Repetitions, parts.Block));
        Assert.Equal(((string?)null, (int?)null, (int?)null, 5), (bundle.Only, bundle.K, bundle.Steps, bundle.Repetitions));
        Assert.Equal([1, 2], bundle.ThreadCounts);
        Assert.Empty(bundle.Hidden);
        Assert.Equal((784, 10, 100), (bundle.Inputs, bundle.Classes, bundle.Batch));
        Assert.Equal([1, 2], bundleParts.ThreadCounts);
        Assert.Null(bundleParts.Only);
        Assert.Equal((2000, 3, (int?)null, "adaptive"), (contention.Steps, contention.Pairs, contention.SpinCount, contention.Threads));
        Assert.Equal(["busy", "trainer"], contention.CompetitorNames);
        Assert.Equal(["grid", "libtorch"], contention.PolicyNames);
        Assert.Equal((2000, true, false), (trainer.Steps, trainer.Adaptive, trainer.Forever));
        Assert.Equal([3072, 784], batch.Features);
        Assert.Equal([1, 2], batch.ThreadCounts);
        Assert.Equal((1000, 11, 20), (batch.Batch, batch.Rounds, batch.Repetitions));
        Assert.Equal([1, 0.8, 0.64, 0.512], sparsity.Densities);
        Assert.Equal([1, 2], sparsity.ThreadCounts);
        Assert.Equal(["auto"], sparsity.Kernels);
        Assert.Equal((200, 11), (sparsity.Steps, sparsity.Rounds));
        Assert.Equal([160, 1024, 3072], walk.Rows);
        Assert.Equal([1, 2], walk.ThreadCounts);
        Assert.Equal(7, walk.Rounds);
        Assert.Equal((3, 10, "paper"), (mkl.Pairs, mkl.Steps, mkl.Only));
    }

    [Fact]
    public void ReadsTheDocumentedValues()
    {
        var profiled = BenchLine.Settings<SparseSettings>("sparse --only fashion --u 0.0047 --auto-only --steps 400");
        var packed = BenchLine.Settings<SparseSettings>("sparse --packed-ab --u 0.343 --rounds 12");
        var phases = BenchLine.Settings<SparseSettings>("sparse --only paper -u 0.01 --phases --rounds 7");
        var run = BenchLine.Settings<EngineRunSettings>("engine-run results/sweep/runs/run/spec.json");
        var engine = BenchLine.Settings<EngineSettings>("engine --device auto --steps 7 --only fashion-small");

        Assert.Equal(("fashion", 0.0047, true, 400, false), (profiled.Only, profiled.Density, profiled.AutoOnly, profiled.Steps, profiled.PackedAb));
        Assert.Equal((true, 0.343, 12), (packed.PackedAb, packed.Density, packed.Rounds));
        Assert.Equal((true, 0.01, 7, false), (phases.Phases, phases.Density, phases.Rounds, profiled.Phases));
        Assert.Equal("results/sweep/runs/run/spec.json", run.SpecPath);
        Assert.Equal(("auto", 7, "fashion-small"), (engine.Device, engine.Steps, engine.Only));
    }

    [Fact]
    public void ReadsListsAndTheCustomBundle()
    {
        var parts = BenchLine.Settings<SparsePartsSettings>("sparse-parts --u 0.5,1 --threads 3 --block 16");
        var custom = BenchLine.Settings<BundleSettings>("bundle --hidden 128,64 --inputs 100 --classes 3 --batch 50 --k 4 --steps 9");
        var cases = BenchLine.Settings<BundleSettings>("bundle --only small --k 8 --steps 200 --repetitions 2 --threads 1,2,4");

        Assert.Equal([0.5, 1.0], parts.Densities);
        Assert.Equal([3], parts.ThreadCounts);
        Assert.Equal((16, 7), (parts.Block, parts.Rounds));
        Assert.Equal([128, 64], custom.Hidden);
        Assert.Equal((100, 3, 50, (int?)4, (int?)9), (custom.Inputs, custom.Classes, custom.Batch, custom.K, custom.Steps));
        Assert.Equal(("small", (int?)8, (int?)200, 2), (cases.Only, cases.K, cases.Steps, cases.Repetitions));
        Assert.Equal([1, 2, 4], cases.ThreadCounts);
    }

    [Fact]
    public void ReadsWhatContentionGivesItsTrainers()
    {
        var timed = BenchLine.Settings<ContentionTrainSettings>("contention-train --steps 2000 --threads adaptive");
        var competing = BenchLine.Settings<ContentionTrainSettings>("contention-train --steps 500 --threads fixed --forever");
        var contention = BenchLine.Settings<ContentionSettings>("contention --competitor trainer --policy grid --spin 0 --threads fixed --pairs 1");

        Assert.Equal((2000, true, false), (timed.Steps, timed.Adaptive, timed.Forever));
        Assert.Equal((500, false, true), (competing.Steps, competing.Adaptive, competing.Forever));
        Assert.Equal(["trainer"], contention.CompetitorNames);
        Assert.Equal(["grid"], contention.PolicyNames);
        Assert.Equal(((int?)0, "fixed", 1), (contention.SpinCount, contention.Threads, contention.Pairs));
    }

    [Fact]
    public void OneLetterOptionsAreTakenWithOneDashOrTwo()
    {
        var twoDashes = BenchLine.Settings<SparsePartsSettings>("sparse-parts --u 0.2");
        var oneDash = BenchLine.Settings<SparsePartsSettings>("sparse-parts -u 0.2");
        var bundle = BenchLine.Settings<BundleSettings>("bundle --k 3");
        var bundleShort = BenchLine.Settings<BundleSettings>("bundle -k 3");

        Assert.Equal([0.2], twoDashes.Densities);
        Assert.Equal([0.2], oneDash.Densities);
        Assert.Equal((int?)3, bundle.K);
        Assert.Equal((int?)3, bundleShort.K);
    }

    [Fact]
    public void AnOptionGivenTwiceTakesTheLastValue()
    {
        // Spectre's rule; the console before it refused the second one.
        var settings = BenchLine.Settings<SparseSettings>("sparse --steps 3 --steps 4");

        Assert.Equal(4, settings.Steps);
    }

    [Fact]
    public void NegativeNumbersAreValuesNotOptions()
    {
        var outcome = BenchLine.Run("contention --spin -1");

        Assert.Equal("contention: --spin: must be at least 0, not -1", outcome.FirstError);
    }
}
