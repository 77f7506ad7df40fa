using Grid.Engine.Model;
using Grid.Engine.Runtime;
using Grid.Engine.Specs;
using Grid.Engine.Training;
using static TorchSharp.torch;

namespace Grid.Engine.Tests;

public sealed class ThreadCalibrationTests
{
    [Theory]
    [InlineData(true, 100)]
    [InlineData(false, 60)]
    public void The_quickstart_and_lenet_layouts_train_the_same_with_one_and_two_threads_and_get_a_measured_choice(bool batchNorm, int batch)
    {
        TorchRuntime.EnsureLoaded();
        using var model = new MaskedMlp(784, new NetworkSpec { Hidden = [128, 100], BatchNorm = batchNorm }, 10, 0.99, CPU);

        var choice = ThreadCalibration.For(model, batch, 2, Quiet);

        Assert.True(choice.Invariant);
        Assert.Equal([1, 2], choice.MillisecondsPerStep.Keys.Order());
        Assert.All(choice.MillisecondsPerStep.Values, ms => Assert.True(ms > 0));
        // The fastest count, where more threads must be at least 10% faster than fewer.
        var times = choice.MillisecondsPerStep;
        Assert.Equal(times[2] < times[1] * 0.9 ? 2 : 1, choice.Fastest);
        Assert.Same(choice, ThreadCalibration.For(model, batch, 2)); // once per layout, batch and maximum
    }

    [Fact]
    public void A_calibration_disturbed_by_other_work_is_measured_again_a_bounded_number_of_times()
    {
        TorchRuntime.EnsureLoaded();
        using var model = new MaskedMlp(12, new NetworkSpec { Hidden = [24] }, 3, 0.99, CPU);
        int reads = 0;
        Func<double?> busy = () =>
        {
            reads++;
            return 2.0; // two cores busy while one thread was timed: something else ran
        };

        var calibrations = Enumerable.Range(0, ThreadCalibration.MaxDisturbedCalibrations + 2)
            .Select(_ => ThreadCalibration.For(model, 8, 2, busy)).ToList();

        Assert.Equal(ThreadCalibration.MaxDisturbedCalibrations + 1, calibrations.Distinct().Count());
        Assert.Same(calibrations[^2], calibrations[^1]); // the last measured is kept
        Assert.True(reads >= 2 * (ThreadCalibration.MaxDisturbedCalibrations + 1));
        Assert.Same(calibrations[^1], ThreadCalibration.For(model, 8, 2, Quiet));
    }

    private static readonly Func<double?> Quiet = () => 0.0;

    [Fact]
    public void Maxima_too_large_to_calibrate_stay_fixed()
    {
        TorchRuntime.EnsureLoaded();
        using var model = new MaskedMlp(8, new NetworkSpec { Hidden = [4] }, 2, 0.99, CPU);

        var large = ThreadCalibration.For(model, 4, ThreadCalibration.MaxCalibratedThreads + 1);
        Assert.False(large.Invariant);
        Assert.Equal(ThreadCalibration.MaxCalibratedThreads + 1, large.Fastest);
        Assert.Equal(1, ThreadCalibration.For(model, 4, 1).Fastest);
    }

    [Fact]
    public void A_slot_trains_with_the_calibrated_count()
    {
        TorchRuntime.EnsureLoaded();
        int used = 0, expected = 0;
        OwnThread.Run(() =>
        {
            var budget = ThreadBudget.Fixed(2);
            var data = new RandomBatchSource(30, 4);
            using var model = new MaskedMlp(30, new NetworkSpec { Hidden = [20] }, 4, 0.99, CPU);
            using var generator = new Generator(2);
            model.Initialise(generator);
            expected = ThreadCalibration.For(model, 16, 2, Quiet).Fastest; // kept, so the trainer gets the same
            new Trainer(new TrainingSpec { BatchSize = 16, Steps = 3, ValidateEvery = 3 }, data, budget).Train(model, generator, [], null, CancellationToken.None);
            used = TorchThreads.OfCurrentThread();
        });

        Assert.Equal(expected, used);
    }
}
