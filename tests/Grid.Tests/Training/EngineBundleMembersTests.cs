using Grid.Engine.Runtime;
using Grid.Engine.Specs;
using Grid.Grains.Hosting;
using Grid.Grains.Training;
using Microsoft.Extensions.Options;

namespace Grid.Tests.Training;

/// <summary>How many iterations the engine's trainer lets a CPU slot bundle: what a spec asks for, and nothing for
/// <c>auto</c> unless the silo opts in (auto's measured choices made a CPU sweep slower).</summary>
public sealed class EngineBundleMembersTests
{
    private static readonly ExperimentSpec Auto = new();

    [Fact]
    public void Auto_trains_alone_on_a_cpu_slot_and_a_spec_that_sets_k_gets_k()
    {
        var trainer = new EngineIterationTrainer(Options.Create(new GridOptions()));
        using var slot = new TrainingSlot(0, "cpu", ThreadBudget.Fixed(1));

        Assert.Null(Auto.Training.Bundle);
        Assert.Equal(1, trainer.BundleMembers(Auto, slot));
        Assert.Equal(3, trainer.BundleMembers(Auto with { Training = Auto.Training with { Bundle = 3 } }, slot));
        Assert.Equal(1, trainer.BundleMembers(Auto with { Training = Auto.Training with { Bundle = 1 } }, slot));
    }
}
