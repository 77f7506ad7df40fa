using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Grid.Engine.Runs;
using Grid.Engine.Runtime;
using Grid.Engine.Specs;
using Grid.Engine.Sweeps;
using Grid.Grains.Telemetry;
using Grid.Grains.Training;

namespace Grid.Observability.Tests;

/// <summary>The Grid meter's instruments and state registries, in process (no silo).</summary>
public sealed class InstrumentTests
{
    /// <summary>The slot the trainers are told they run on (they never run work on its thread).</summary>
    private static readonly TrainingSlot Slot = new(0, "cpu", ThreadBudget.Fixed(1));

    private const string Silo = "127.0.0.1:1";

    [Fact]
    public void Labels_come_from_the_run_directory()
    {
        var labels = IterationLabels.FromRunDirectory("/results/quick-0123abcd/runs/feedbeef/", 3);
        Assert.Equal(new IterationLabels("quick-0123abcd", "feedbeef", 3), labels);
        Assert.Equal("quick-0123abcd", IterationLabels.SweepOf("/results/quick-0123abcd"));
    }

    [Fact]
    public void The_trainer_decorator_counts_steps_iterations_and_keeps_the_final_accuracy()
    {
        string sweep = $"unit-{Guid.NewGuid():N}";
        using var recorder = new Recorder(sweep);
        var inner = new FakeTrainer((progress, iteration) =>
        {
            progress.Report(new TrainingProgress(iteration, 20, 40, 1.0, 0.5, 0.5, 0.25, TimeSpan.FromSeconds(1)));
            progress.Report(new TrainingProgress(iteration, 40, 40, 0.9, 0.4, 0.5, 0.25, TimeSpan.FromSeconds(3)));
            return Outcome(iteration, best: 0.5, unpruned: 0.25);
        });
        var trainer = new InstrumentedIterationTrainer(inner, Silo);
        var job = new LatestProgress();

        var outcome = trainer.Train(Spec(40), $"/results/{sweep}/runs/r1", 2, Slot, job, CancellationToken.None);

        Assert.Equal(0.5, outcome.BestValAccuracy);
        Assert.Equal(40, job.Latest?.Step); // the job still receives every report
        recorder.Collect();
        Assert.Equal(40, recorder.Sum("grid.training.steps"));
        Assert.Equal(1, recorder.Sum("grid.iterations.started"));
        Assert.Equal(1, recorder.Sum("grid.iterations.finished"));
        Assert.Equal(0, recorder.Sum("grid.iterations.failed"));
        Assert.Equal(2, recorder.Count("grid.training.step.duration"));
        Assert.Equal([0.05, 0.1], recorder.Values("grid.training.step.duration").Order());
        Assert.Equal(1, recorder.Count("grid.iteration.duration"));
        Assert.All(recorder.Tags("grid.iterations.finished"), t => Assert.Equal(Silo, t["silo"]));

        var state = TrainingBoard.Get(new IterationLabels(sweep, "r1", 2));
        Assert.NotNull(state);
        Assert.False(state.Active);
        Assert.Equal(0.4, state.ValAccuracy); // the latest validation point
        Assert.Equal(0.5, state.BestValAccuracy);
        Assert.Equal(0.25, state.UnprunedFraction);
        Assert.Equal(1, state.Progress);
        Assert.Contains(recorder.Gauge("grid.validation.accuracy.best"), m => (string?)m.Tags["run"] == "r1" && (string?)m.Tags["iteration"] == "2" && m.Value == 0.5);
    }

    [Fact]
    public void Failed_and_cancelled_iterations_are_counted_and_rethrown()
    {
        string sweep = $"unit-{Guid.NewGuid():N}";
        using var recorder = new Recorder(sweep);
        var failing = new InstrumentedIterationTrainer(new FakeTrainer((_, _) => throw new InvalidOperationException("diverged")), Silo);
        Assert.Throws<InvalidOperationException>(() => failing.Train(Spec(10), $"/r/{sweep}/runs/a", 0, Slot, new LatestProgress(), CancellationToken.None));

        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var cancelled = new InstrumentedIterationTrainer(new FakeTrainer((_, _) => throw new OperationCanceledException()), Silo);
        Assert.Throws<OperationCanceledException>(() => cancelled.Train(Spec(10), $"/r/{sweep}/runs/b", 0, Slot, new LatestProgress(), cancel.Token));

        recorder.Collect();
        Assert.Equal(2, recorder.Sum("grid.iterations.started"));
        Assert.Equal(1, recorder.Sum("grid.iterations.failed"));
        Assert.Equal(1, recorder.Sum("grid.iterations.cancelled"));
        Assert.Equal(0, recorder.Sum("grid.iterations.finished"));
        Assert.Equal(0, recorder.Sum("grid.training.steps"));
    }

    [Fact]
    public void Each_member_of_a_bundle_is_counted_as_its_own_iteration_and_the_bundle_size_is_recorded()
    {
        string sweep = $"unit-{Guid.NewGuid():N}";
        using var recorder = new Recorder(sweep);
        var inner = new FakeTrainer((progress, iteration) =>
        {
            progress.Report(new TrainingProgress(iteration, 10, 10, 1.0, 0.5, 0.5, 1, TimeSpan.FromSeconds(1)));
            return iteration == 1 ? throw new InvalidOperationException("diverged") : Outcome(iteration, best: 0.6, unpruned: 1);
        });
        var trainer = new InstrumentedIterationTrainer(inner, Silo);
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var jobs = new[] { new LatestProgress(), new LatestProgress(), new LatestProgress() };

        var attempts = trainer.TrainBundle(
        [
            new IterationOrder(Spec(10), $"/results/{sweep}/runs/a", 0, jobs[0], CancellationToken.None),
            new IterationOrder(Spec(10), $"/results/{sweep}/runs/b", 1, jobs[1], CancellationToken.None),
            new IterationOrder(Spec(10), $"/results/{sweep}/runs/c", 2, jobs[2], cancel.Token),
        ], Slot);

        Assert.NotNull(attempts[0].Outcome);
        Assert.IsType<InvalidOperationException>(attempts[1].Failure);
        Assert.IsAssignableFrom<OperationCanceledException>(attempts[2].Failure);
        Assert.Equal(10, jobs[0].Latest?.Step); // each member's own progress reaches its own job
        Assert.Null(jobs[2].Latest);
        recorder.Collect();
        Assert.Equal(3, recorder.Sum("grid.iterations.started"));
        Assert.Equal(1, recorder.Sum("grid.iterations.finished"));
        Assert.Equal(1, recorder.Sum("grid.iterations.failed"));
        Assert.Equal(1, recorder.Sum("grid.iterations.cancelled"));
        Assert.Equal([3.0], recorder.Values("grid.bundle.members"));
        Assert.Equal("cpu", Assert.Single(recorder.Tags("grid.bundle.members"))["device"]);
        Assert.False(TrainingBoard.Get(new IterationLabels(sweep, "b", 1))!.Active);
        Assert.Equal(1, TrainingBoard.Get(new IterationLabels(sweep, "a", 0))!.Progress);
    }

    [Fact]
    public void The_sweep_board_aggregates_what_summary_csv_is_written_from()
    {
        var runs = new[]
        {
            new ManifestRun { Index = 0, Hash = "r0", Values = ["0.1", "0"], Directory = "runs/r0", EstimatedIterations = 4 },
            new ManifestRun { Index = 1, Hash = "r1", Values = ["0.1", "1"], Directory = "runs/r1", EstimatedIterations = 4 },
            new ManifestRun { Index = 2, Hash = "r2", Values = ["1", "0"], Directory = "runs/r2", EstimatedIterations = 4 },
        };
        var manifest = new SweepManifest { Hash = "abc", Name = "s", Directory = "s-abc", Axes = ["dataset.fraction", "seed"], Runs = runs };
        var inputs = new[]
        {
            new RunSummaryInput(runs[0], [Outcome(0, 0.6, 1), Outcome(1, 0.7, 0.5, last: true)], null),
            new RunSummaryInput(runs[1], [Outcome(0, 0.65, 1)], "failed"),
            new RunSummaryInput(runs[2], [], "training"),
        };

        var state = SweepBoard.Build(manifest, inputs, DateTimeOffset.UnixEpoch);

        Assert.Equal("s-abc", state.Sweep);
        Assert.Equal((3, 1, 1, 3), (state.RunsTotal, state.RunsDone, state.RunsFailed, state.IterationsDone));
        Assert.Equal(2 + 4 + 4, state.IterationsEstimated);
        Assert.Equal(0.7, state.BestValAccuracy);
        Assert.Equal(
            [new AxisBest("dataset.fraction", "0.1", 0.7), new AxisBest("seed", "0", 0.7), new AxisBest("seed", "1", 0.65)],
            state.Axes);
        Assert.Equal(new RunGaugeState("r0", "dataset.fraction=0.1, seed=0", 2, 0.7), state.Runs[0]);
        Assert.Equal(new RunGaugeState("r2", "dataset.fraction=1, seed=0", 0, null), state.Runs[2]);
    }

    private static ExperimentSpec Spec(int steps) => new() { Training = new TrainingSpec { Steps = steps } };

    private static IterationOutcome Outcome(int iteration, double best, double unpruned, bool last = false) => new()
    {
        Iteration = iteration,
        UnprunedFraction = unpruned,
        LayerUnprunedFractions = [unpruned],
        BestValAccuracy = best,
        BestValTop5 = 1,
        BestStep = 1,
        FinalTrainLoss = 0.1,
        TrainSeconds = 1,
        IsLast = last,
    };

    private sealed class FakeTrainer(Func<IProgress<TrainingProgress>, int, IterationOutcome> train) : IIterationTrainer
    {
        public IterationOutcome? ReadFinished(string runDirectory, int iteration) => null;

        public string BundleKey(ExperimentSpec spec) => "fake";

        public int BundleMembers(ExperimentSpec spec, TrainingSlot slot) => 8;

        public IReadOnlyList<IterationAttempt> TrainBundle(IReadOnlyList<IterationOrder> orders, TrainingSlot slot) =>
            [.. orders.Select(order =>
            {
                try
                {
                    order.Cancellation.ThrowIfCancellationRequested();
                    return new IterationAttempt(train(order.Progress!, order.Iteration), null);
                }
                catch (Exception error)
                {
                    return new IterationAttempt(null, error);
                }
            })];
    }

    private sealed class LatestProgress : IProgress<TrainingProgress>
    {
        public TrainingProgress? Latest { get; private set; }

        public void Report(TrainingProgress value) => Latest = value;
    }

    /// <summary>Listens to the Grid meter and keeps the measurements tagged with one sweep (tests run in parallel).</summary>
    private sealed class Recorder : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<(string Name, double Value, Dictionary<string, object?> Tags)> _measurements = new();
        private readonly string _sweep;

        public Recorder(string sweep)
        {
            _sweep = sweep;
            GridMetrics.EnsureCreated();
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == GridMetrics.MeterName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((i, v, t, _) => Add(i, v, t));
            _listener.SetMeasurementEventCallback<int>((i, v, t, _) => Add(i, v, t));
            _listener.SetMeasurementEventCallback<double>((i, v, t, _) => Add(i, v, t));
            _listener.Start();
        }

        public void Collect() => _listener.RecordObservableInstruments();

        public double Sum(string name) => Values(name).Sum();

        public int Count(string name) => Values(name).Count();

        public IEnumerable<double> Values(string name) => _measurements.Where(m => m.Name == name).Select(m => m.Value);

        public IEnumerable<Dictionary<string, object?>> Tags(string name) => _measurements.Where(m => m.Name == name).Select(m => m.Tags);

        public IEnumerable<(double Value, Dictionary<string, object?> Tags)> Gauge(string name) =>
            _measurements.Where(m => m.Name == name).Select(m => (m.Value, m.Tags));

        public void Dispose() => _listener.Dispose();

        private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var copy = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                copy[tag.Key] = tag.Value;
            }

            if (copy.TryGetValue(GridMetrics.Sweep, out object? sweep) && (string?)sweep == _sweep)
            {
                _measurements.Enqueue((instrument.Name, value, copy));
            }
        }
    }
}
