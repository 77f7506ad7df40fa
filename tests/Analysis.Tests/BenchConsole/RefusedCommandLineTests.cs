using Grid.Bench;

namespace Grid.Analysis.Tests.BenchConsole;

/// <summary>Command lines refused before anything runs, each with a message naming the option or argument and why.</summary>
public class RefusedCommandLineTests
{
    [Theory]
    [InlineData("sparse --stpes 3", "unknown option --stpes (options: --steps, --iterations, --only, --u, --auto-only, --packed-ab, --rounds)")]
    [InlineData("analysis --steps 3", "unknown option --steps (analysis takes no options)")]
    [InlineData("bundle -k 3", "unknown option -k")]
    [InlineData("sparse --steps", "--steps needs a value (--steps N)")]
    [InlineData("sparse --steps --iterations 3", "--steps needs a value")]
    [InlineData("sparse 3", "unexpected argument '3' (sparse takes no arguments)")]
    [InlineData("engine-run", "missing <spec.json>")]
    [InlineData("engine-run a.json b.json", "unexpected argument 'b.json' (engine-run takes one <spec.json>)")]
    [InlineData("sparse --steps 3 --steps 4", "--steps is given twice")]
    [InlineData("sparse --packed-ab --packed-ab", "--packed-ab is given twice")]
    [InlineData("sparse --rounds 3", "--rounds applies only with --packed-ab")]
    [InlineData("sparse --auto-only", "--auto-only applies only with --u")]
    [InlineData("bundle --batch 10", "--batch applies only with --hidden")]
    public void RefusesTheShapeOfTheCommandLine(string line, string message) => AssertRefused(line, message);

    [Theory]
    [InlineData("sparse --steps abc", "--steps: 'abc' is not an integer")]
    [InlineData("sparse --steps 2.5", "--steps: '2.5' is not an integer")]
    [InlineData("bundle --threads 1,x", "--threads: 'x' is not an integer")]
    [InlineData("bundle --threads 1,,2", "--threads: '' is not an integer")]
    [InlineData("bundle --hidden 128,big", "--hidden: 'big' is not an integer")]
    [InlineData("bundle --threads 99999999999", "--threads: 99999999999 is too large")]
    [InlineData("sparse-parts --u 0.1,zz", "--u: 'zz' is not a number")]
    [InlineData("sparse --u NaN", "--u: 'NaN' is not a number")]
    [InlineData("sparse --steps 1,2", "--steps: takes one value, not a list ('1,2')")]
    [InlineData("sparse --u 0.1,0.2", "--u: takes one value, not a list")]
    [InlineData("sparse --only fasion", "--only: 'fasion' is not one of paper, fashion")]
    [InlineData("engine --only small", "--only: 'small' is not one of paper, fashion, fashion-small")]
    [InlineData("contention --competitor busy,bogus", "--competitor: 'bogus' is not one of busy, trainer")]
    [InlineData("contention --policy grid,torch", "--policy: 'torch' is not one of grid, libtorch")]
    [InlineData("contention --threads 2", "--threads: '2' is not one of adaptive, fixed")]
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
    [InlineData("bundle --k 0", "--k: must be at least 1, not 0")]
    [InlineData("bundle --repetitions 0", "--repetitions: must be at least 1, not 0")]
    [InlineData("bundle --hidden 128,0", "--hidden: must be at least 1, not 0")]
    [InlineData("bundle-parts --threads 0", "--threads: must be at least 1, not 0")]
    [InlineData("sparse --u 0", "--u: a density is in (0, 1], not 0")]
    [InlineData("sparse --u 1.5", "--u: a density is in (0, 1], not 1.5")]
    [InlineData("sparse-parts --u 0.1,-0.5", "--u: a density is in (0, 1], not -0.5")]
    public void RefusesAValueOutOfRange(string line, string message) => AssertRefused(line, message);

    private static void AssertRefused(string line, string message)
    {
        var (command, args) = CommandLine.Split(line);

        var refused = Assert.Throws<BenchArgumentException>(() => BenchArgs.Parse(command, args));

        Assert.Contains(message, refused.Message);
    }
}
