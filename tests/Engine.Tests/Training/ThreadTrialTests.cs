using Grid.Engine.Model;
using Grid.Engine.Runtime;
using Grid.Engine.Specs;
using Grid.Engine.Training;
using static TorchSharp.torch;

namespace Grid.Engine.Tests;

public sealed class ThreadTrialTests
{
    private const int TrialLength = ThreadTrial.Rounds * 2 * ThreadTrial.BlockSteps;

    [Theory]
    [InlineData(1.0, 1.5, 1)] // the second thread slows real steps down (seen with analyses beside a small network)
    [InlineData(1.0, 0.6, 2)]
    [InlineData(1.0, 0.97, 1)] // not clearly faster: the second core stays free for other work
    public void A_trial_keeps_the_count_whose_real_steps_are_fastest(double oneThread, double twoThreads, int kept) => OwnThread.Run(() =>
    {
        var budget = SharedSlotBudget(out _);
        var trial = Train(budget, steps: 1000, threads => threads == 1 ? oneThread : twoThreads);

        Assert.Equal(ThreadTrial.WarmupSteps + 1 + TrialLength, trial.Decisions[0].Step);
        Assert.All(trial.Decisions, d => Assert.Equal(kept, d.Threads));
        Assert.Equal(kept, budget.Ceiling);
    });

    [Fact]
    public void Trials_repeat_and_follow_a_change_in_what_is_fastest() => OwnThread.Run(() =>
    {
        var budget = SharedSlotBudget(out _);
        int step = 0;
        // Two threads are slower until step 1200 (analyses beside the training), then faster.
        var trial = Train(budget, steps: 4000, threads => step++ < 1200 ? (threads == 1 ? 1.0 : 1.5) : (threads == 1 ? 1.0 : 0.6));

        var gaps = trial.Decisions.Zip(trial.Decisions.Skip(1), (first, second) => (second.Step - first.Step) / TrialLength - 1).ToList();
        // Further apart while the count holds (1, 1), close again after it changed (2), then further apart (2, 2).
        int apart = ThreadTrial.TrialsApart;
        Assert.Equal([1, 1, 2, 2, 2], trial.Decisions.Select(d => d.Threads));
        Assert.Equal([apart, 2 * apart, apart, 2 * apart], gaps);
        // Trials take at most a tenth of the steps.
        Assert.True(trial.Decisions.Count * TrialLength <= 4000 / (ThreadTrial.TrialsApart + 1) + TrialLength);
    });

    [Fact]
    public void Training_too_short_for_a_trial_keeps_its_count() => OwnThread.Run(() =>
    {
        var budget = SharedSlotBudget(out _);
        var trial = Train(budget, steps: (ThreadTrial.TrialsApart + 1) * TrialLength - 1, threads => threads == 1 ? 1.0 : 1.5);

        Assert.Empty(trial.Decisions);
        Assert.Equal(2, budget.Threads);
    });

    [Fact]
    public void No_trial_while_another_slot_holds_the_other_core() => OwnThread.Run(() =>
    {
        var budget = SharedSlotBudget(out var share);
        using var own = share.Occupy();
        using var other = share.Occupy();
        int twoThreadSteps = 0;
        var trial = Train(budget, steps: 1000, threads =>
        {
            twoThreadSteps += threads == 2 ? 1 : 0;
            return 1.0;
        });

        Assert.Empty(trial.Decisions);
        Assert.Equal(0, twoThreadSteps);
    });

    [Fact]
    public void A_trainer_tries_both_counts_and_trains_the_bits_of_a_fixed_count() => OwnThread.Run(() =>
    {
        TorchRuntime.EnsureLoaded();
        var spec = new TrainingSpec { BatchSize = 500, Steps = (ThreadTrial.TrialsApart + 1) * TrialLength, ValidateEvery = 240, LearningRate = 0.05 };
        var budget = SharedSlotBudget(out _);
        int changesBefore = budget.Changes;
        var adaptiveWeights = TrainSmall(spec, budget);
        var fixedWeights = TrainSmall(spec, ThreadBudget.Fixed(1));

        // The trial switched between 1 and 2 threads at least once a round, so these weights were trained on both counts.
        Assert.True(budget.Changes - changesBefore >= ThreadTrial.Rounds, $"{budget.Changes - changesBefore} thread count changes");
        Assert.Equal(fixedWeights.Length, adaptiveWeights.Length);
        Assert.All(fixedWeights.Zip(adaptiveWeights), pair => Assert.Equal(pair.First, pair.Second));
    });

    /// <summary>The budget of one of the two slots of a 2-core machine that share its cores, without load samples.</summary>
    private static ThreadBudget SharedSlotBudget(out CoreShare share)
    {
        share = new CoreShare(2);
        var budget = new ThreadBudget(2, load: null, machineCores: 2, share: share);
        budget.UseCeiling(2);
        return budget;
    }

    /// <summary>Drives a trial through <paramref name="steps"/> steps as the trainer does; a step with n threads takes
    /// <paramref name="secondsPerStep"/>(n) (in Stopwatch ticks per second, scaled).</summary>
    private static ThreadTrial Train(ThreadBudget budget, int steps, Func<int, double> secondsPerStep)
    {
        var trial = new ThreadTrial(budget, steps);
        for (int step = 1; step <= steps; step++)
        {
            trial.BeforeStep(step);
            budget.Refresh();
            trial.AfterStep((long)(secondsPerStep(budget.Threads) * 1_000_000));
        }

        return trial;
    }

    private static float[][] TrainSmall(TrainingSpec spec, ThreadBudget budget)
    {
        var data = new RandomBatchSource(64, 10, trainCount: 2000);
        using var model = new MaskedMlp(64, new NetworkSpec { Hidden = [256, 256] }, 10, 0.99, CPU);
        using var generator = new Generator(3);
        model.Initialise(generator);
        new Trainer(spec, data, budget).Train(model, generator, [], null, CancellationToken.None);
        return [.. model.parameters().Select(p => p.detach().data<float>().ToArray())];
    }
}
