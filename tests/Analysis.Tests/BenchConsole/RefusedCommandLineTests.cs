namespace Grid.Analysis.Tests.BenchConsole;

/// <summary>
/// Command lines refused before anything runs: exit code 2, a first line on the errors naming the command, the option
/// or argument and why, a second saying where the options are listed, nothing on the output, no settings recorded.
/// </summary>
public class RefusedCommandLineTests
{
    [Theory]
    [InlineData("sparse --stpes 3", "unknown option --stpes (did you mean --steps?)")]
    [InlineData("analysis --steps 3", "unknown option --steps")]
    [InlineData("bundle -x 3", "unknown option -x")]
    [InlineData("sparse --x 3", "unknown option -x")]
    [InlineData("bundle --hiden 10", "unknown option --hiden (did you mean --hidden?)")]
    [InlineData("sparse --steps", "Option 'steps' is defined but no value has been provided")]
    [InlineData("sparse --steps --iterations 3", "Option 'steps' is defined but no value has been provided")]
    [InlineData("sparse 3", "Unknown command '3'")]
    [InlineData("sparse -- 3", "unexpected argument '3'")]
    [InlineData("engine-run", "missing required argument 'spec.json'")]
    [InlineData("engine-run a.json b.json", "Could not match 'b.json' with an argument")]
    [InlineData("sparse --rounds 3", "--rounds applies only with --packed-ab, --loss-ab or --phases")]
    [InlineData("sparse --phases", "--phases applies only with -u")]
    [InlineData("sparse -u 0.1 --phases --loss-ab", "--phases: times the engine's step alone; give it without --packed-ab and --loss-ab")]
    [InlineData("sparse --auto-only", "--auto-only applies only with -u")]
    [InlineData("bundle --batch 10", "--batch applies only with --hidden")]
    [InlineData("bundle --inputs 10", "--inputs applies only with --hidden")]
    [InlineData("bundle --only small --hidden 10", "--only small: a custom case (--hidden) replaces the three cases, give one or the other")]
    public void RefusesTheShapeOfTheCommandLine(string line, string message) => AssertRefused(line, message);

    [Theory]
    [InlineData("sparse --steps abc", "--steps: 'abc' is not an integer")]
    [InlineData("sparse --steps 2.5", "--steps: '2.5' is not an integer")]
    [InlineData("bundle --threads 1,x", "--threads: 'x' is not an integer")]
    [InlineData("bundle --threads 1,,2", "--threads: '' is not an integer")]
    [InlineData("bundle --hidden 128,big", "--hidden: 'big' is not an integer")]
    [InlineData("bundle --threads 99999999999", "--threads: 99999999999 is too large")]
    [InlineData("sparse-parts --u 0.1,zz", "-u: 'zz' is not a number")]
    [InlineData("sparse --u NaN", "-u: 'NaN' is not a number")]
    [InlineData("sparse --steps 1,2", "--steps: takes one value, not a list ('1,2')")]
    [InlineData("sparse --u 0.1,0.2", "-u: takes one value, not a list")]
    [InlineData("sparse --only fasion", "--only: 'fasion' is not one of paper, fashion")]
    [InlineData("engine --only small", "--only: 'small' is not one of paper, fashion, fashion-small")]
    [InlineData("bundle-parts --only tiny", "--only: 'tiny' is not one of small, fashion, paper")]
    [InlineData("contention --competitor busy,bogus", "--competitor: 'bogus' is not one of busy, trainer")]
    [InlineData("contention --policy grid,torch", "--policy: 'torch' is not one of grid, libtorch")]
    [InlineData("contention --threads 2", "--threads: '2' is not one of adaptive, fixed")]
    [InlineData("contention-train --threads all", "--threads: 'all' is not one of adaptive, fixed")]
    [InlineData("sparsity-steps --kernels auto,sparce", "--kernels: 'sparce' is not one of auto, dense, sparse")]
    [InlineData("contention --spin 1e5", "--spin: '1e5' is not an integer")]
    public void RefusesAValueItCannotRead(string line, string message) => AssertRefused(line, message);

    [Theory]
    [InlineData("sparse --steps 0", "--steps: must be at least 1, not 0")]
    [InlineData("sparse --iterations 0", "--iterations: must be at least 1, not 0")]
    [InlineData("sparse --packed-ab --rounds 0", "--rounds: must be at least 1, not 0")]
    [InlineData("engine --steps -3", "--steps: must be at least 1, not -3")]
    [InlineData("contention --steps 0", "--steps: must be at least 1, not 0")]
    [InlineData("contention --pairs 0", "--pairs: must be at least 1, not 0")]
    [InlineData("contention --spin -1", "--spin: must be at least 0, not -1")]
    [InlineData("contention-train --steps 0", "--steps: must be at least 1, not 0")]
    [InlineData("sparse-parts --rounds 0", "--rounds: must be at least 1, not 0")]
    [InlineData("sparse-parts --repetitions 0", "--repetitions: must be at least 1, not 0")]
    [InlineData("sparse-parts --threads 1,0", "--threads: must be at least 1, not 0")]
    [InlineData("sparse-parts --block 0", "--block: must be at least 1, not 0")]
    [InlineData("sparse-parts --batch 0", "--batch: must be at least 1, not 0")]
    [InlineData("sparse-parts --outputs 0", "--outputs: must be at least 1, not 0")]
    [InlineData("batch --features 784,x", "--features: 'x' is not an integer")]
    [InlineData("batch --batch 0", "--batch: must be at least 1, not 0")]
    [InlineData("row-walk --rows 1024,0", "--rows: must be at least 1, not 0")]
    [InlineData("row-walk --rounds 0", "--rounds: must be at least 1, not 0")]
    [InlineData("mkl-dispatch --pairs 0", "--pairs: must be at least 1, not 0")]
    [InlineData("bundle --k 0", "-k: must be at least 1, not 0")]
    [InlineData("bundle --steps 0", "--steps: must be at least 1, not 0")]
    [InlineData("bundle --repetitions 0", "--repetitions: must be at least 1, not 0")]
    [InlineData("bundle --hidden 128,0", "--hidden: must be at least 1, not 0")]
    [InlineData("bundle --hidden 8 --classes 0", "--classes: must be at least 1, not 0")]
    [InlineData("bundle-parts --threads 0", "--threads: must be at least 1, not 0")]
    [InlineData("sparse --u 0", "-u: a density is in (0, 1], not 0")]
    [InlineData("sparse --u 1.5", "-u: a density is in (0, 1], not 1.5")]
    [InlineData("sparse-parts --u 0.1,-0.5", "-u: a density is in (0, 1], not -0.5")]
    [InlineData("sparsity-steps --densities 1,0", "--densities: a density is in (0, 1], not 0")]
    [InlineData("sparsity-steps --steps 0", "--steps: must be at least 1, not 0")]
    public void RefusesAValueOutOfRange(string line, string message) => AssertRefused(line, message);

    [Fact]
    public void AnUnknownBenchmarkIsNamedWithTheClosestOne()
    {
        var outcome = BenchLine.Run("sparce --steps 3");

        Assert.Equal(2, outcome.ExitCode);
        Assert.Equal("Unknown command 'sparce'.", outcome.FirstError);
        Assert.Contains("Did you mean sparse?", outcome.Errors);
        Assert.Contains("--help` lists the benchmarks", outcome.Errors);
        Assert.Null(outcome.Settings);
    }

    private static void AssertRefused(string line, string message)
    {
        string command = line.Split(' ')[0];

        var outcome = BenchLine.Run(line);

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.StartsWith($"{command}: ", outcome.FirstError);
        Assert.Contains(message, outcome.FirstError);
        Assert.Contains($"{command} --help` lists its options", outcome.Errors);
        Assert.Equal("", outcome.Output);
        Assert.Null(outcome.Settings);
    }
}
