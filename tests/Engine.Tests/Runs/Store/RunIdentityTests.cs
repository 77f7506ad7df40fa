using Grid.Engine.Runs.Store;
using Grid.Engine.Specs;

namespace Grid.Engine.Tests.Runs.Store;

public sealed class RunIdentityTests
{
    private static readonly ExperimentSpec Base = TinyRuns.Spec();

    [Fact]
    public void How_far_a_run_goes_and_fields_its_method_does_not_read_enter_no_identity()
    {
        var identity = Ids(Base);
        Assert.Equal(identity, Ids(Base with { Pruning = Base.Pruning with { MaxIterations = 17, StopRatio = 0.01 } }));
        Assert.Equal(identity, Ids(Base with { Pruning = Base.Pruning with { TargetDensity = 0.01, SnipImages = 5, SynflowRounds = 3 } }));

        var oneShot = Ids(Base with { Pruning = Base.Pruning with { Method = "one-shot" } });
        Assert.Equal(identity.Trunk, oneShot.Trunk); // the same dense iteration 0 for every method
        Assert.NotEqual(identity.Line, oneShot.Line);
        Assert.Equal(oneShot, Ids(Base with { Pruning = Base.Pruning with { Method = "one-shot", Rate = 0.9 } }));
    }

    [Fact]
    public void What_shapes_training_or_masks_enters_the_identity()
    {
        var identity = RunIdentity.Of(Base);
        var rate = RunIdentity.Of(Base with { Pruning = Base.Pruning with { Rate = 0.2 } });
        Assert.Equal(identity.Trunk, rate.Trunk);
        Assert.NotEqual(identity.Line, rate.Line);

        foreach (var other in new[]
                 {
                     Base with { Seed = 2 },
                     Base with { Training = Base.Training with { Steps = 61 } },
                     Base with { Dataset = Base.Dataset with { Fraction = 0.06 } },
                     Base with { Network = Base.Network with { Hidden = [32, 32] } },
                     Base with { Task = Base.Task with { RotationDegrees = 20 } },
                 })
        {
            var changed = RunIdentity.Of(other);
            Assert.NotEqual(identity.Trunk, changed.Trunk);
            Assert.NotEqual(identity.Line, changed.Line); // a line belongs to its trunk
        }
    }

    [Fact]
    public void The_rewind_step_is_a_checkpoint_of_the_trunk_and_part_of_the_lines_that_rewind_to_it()
    {
        var rewindLater = Base with { Pruning = Base.Pruning with { RewindStep = 11 } };
        Assert.Equal(Ids(Base).Trunk, Ids(rewindLater).Trunk);
        Assert.NotEqual(Ids(Base).Line, Ids(rewindLater).Line);

        var snip = Base with { Pruning = Base.Pruning with { Method = "snip" } };
        Assert.Equal(Ids(snip), Ids(snip with { Pruning = snip.Pruning with { RewindStep = 11 } })); // SNIP restarts from the initial weights
    }

    [Fact]
    public void The_dataset_is_identified_by_its_files_not_by_where_they_lie()
    {
        string copy = TinyRuns.TemporaryDirectory();
        string source = Grid.Engine.Data.DatasetCatalog.ResolveDirectory(Base.Dataset);
        foreach (string file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        var moved = Base with { Dataset = Base.Dataset with { Path = copy } };
        Assert.Equal(Ids(Base), Ids(moved));

        string labels = Directory.EnumerateFiles(copy).First(f => Path.GetFileName(f).StartsWith("train-labels", StringComparison.Ordinal));
        File.Delete(labels);
        File.Copy(Directory.EnumerateFiles(copy).First(f => Path.GetFileName(f).StartsWith("t10k-labels", StringComparison.Ordinal)), labels);
        Assert.NotEqual(RunIdentity.Of(Base).Trunk, RunIdentity.Of(moved).Trunk);
    }

    private static (string Trunk, string Line) Ids(ExperimentSpec spec)
    {
        var identity = RunIdentity.Of(spec);
        return (identity.Trunk, identity.Line);
    }
}
