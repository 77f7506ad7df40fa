using System.Diagnostics;
using Grid.Engine.Runs;
using Grid.Engine.Specs;
using Grid.Grains.Training;

namespace Grid.Grains.Telemetry;

/// <summary>
/// Wraps the silo's <see cref="IIterationTrainer"/>: counts started / finished / failed / cancelled iterations, their
/// wall time, the steps trained and the time per step (from the trainer's progress reports, one per validation
/// point), and keeps the live accuracy and unpruned fraction of each iteration on the <see cref="TrainingBoard"/>;
/// every member of a bundle is counted as its own iteration, and each bundle's size is recorded.
/// Runs on the training thread; recording never throws into training.
/// </summary>
public sealed class InstrumentedIterationTrainer(IIterationTrainer inner, string silo) : IIterationTrainer
{
    public IIterationTrainer Inner => inner;

    public IterationOutcome? ReadFinished(string runDirectory, int iteration) => inner.ReadFinished(runDirectory, iteration);

    public string BundleKey(ExperimentSpec spec) => inner.BundleKey(spec);

    public int BundleMembers(ExperimentSpec spec, TrainingSlot slot) => inner.BundleMembers(spec, slot);

    public IReadOnlyList<IterationAttempt> TrainBundle(IReadOnlyList<IterationOrder> orders, TrainingSlot slot)
    {
        var members = orders.Select(order => new Member(order, silo)).ToList();
        if (members.Count > 0)
        {
            GridMetrics.BundleMembers.Record(members.Count, new TagList
            {
                { GridMetrics.Sweep, members[0].Labels.Sweep }, { GridMetrics.Silo, silo }, { GridMetrics.Device, slot.Device },
            });
        }

        var clock = Stopwatch.StartNew();
        IReadOnlyList<IterationAttempt> attempts;
        try
        {
            attempts = inner.TrainBundle([.. members.Select(m => m.Order)], slot);
        }
        catch (Exception error)
        {
            members.ForEach(m => m.End(new IterationAttempt(null, error), clock.Elapsed));
            throw;
        }

        for (int i = 0; i < members.Count && i < attempts.Count; i++)
        {
            members[i].End(attempts[i], clock.Elapsed);
        }

        return attempts;
    }

    /// <summary>One iteration of a bundle: its labels, tags and progress recorder.</summary>
    private sealed class Member
    {
        private readonly ProgressRecorder _recorder;
        private readonly TagList _tags;
        private readonly CancellationToken _cancellation;

        public Member(IterationOrder order, string silo)
        {
            Labels = IterationLabels.FromRunDirectory(order.RunDirectory, order.Iteration);
            _tags = new TagList { { GridMetrics.Sweep, Labels.Sweep }, { GridMetrics.Silo, silo } };
            _cancellation = order.Cancellation;
            _recorder = new ProgressRecorder(order.Progress, Labels, _tags);
            Order = order with { Progress = _recorder };
            Steps = order.Spec.Training.Steps;

            // Failure counters start at 0 for every sweep and silo, so rate() and increase() see the first failure.
            GridMetrics.IterationsFailed.Add(0, _tags);
            GridMetrics.IterationsCancelled.Add(0, _tags);
            GridMetrics.IterationsStarted.Add(1, _tags);
            TrainingBoard.Begin(Labels, silo);
        }

        public IterationLabels Labels { get; }

        public IterationOrder Order { get; }

        private int Steps { get; }

        public void End(IterationAttempt attempt, TimeSpan elapsed)
        {
            if (attempt.Outcome is not { } outcome)
            {
                (_cancellation.IsCancellationRequested ? GridMetrics.IterationsCancelled : GridMetrics.IterationsFailed).Add(1, _tags);
                TrainingBoard.End(Labels);
                return;
            }

            if (outcome.Reused)
            {
                GridMetrics.IterationsReused.Add(1, _tags);
                TrainingBoard.End(Labels);
                return;
            }

            _recorder.CompleteSteps(Steps);
            GridMetrics.IterationDuration.Record(elapsed.TotalSeconds, _tags);
            GridMetrics.IterationsFinished.Add(1, _tags);
            TrainingBoard.End(Labels, s => s with
            {
                ValAccuracy = s.ValAccuracy ?? outcome.BestValAccuracy,
                BestValAccuracy = outcome.BestValAccuracy,
                UnprunedFraction = outcome.UnprunedFraction,
                Progress = 1,
            });
        }
    }

    /// <summary>Forwards every report to the job, then records steps and the per-step time since the previous report.</summary>
    private sealed class ProgressRecorder(IProgress<TrainingProgress>? inner, IterationLabels labels, TagList tags) : IProgress<TrainingProgress>
    {
        private int _steps;
        private TimeSpan _elapsed;

        public void Report(TrainingProgress value)
        {
            inner?.Report(value);
            int delta = value.Step - _steps;
            if (delta > 0)
            {
                GridMetrics.TrainingSteps.Add(delta, tags);
                double seconds = (value.Elapsed - _elapsed).TotalSeconds / delta;
                if (seconds >= 0)
                {
                    GridMetrics.StepDuration.Record(seconds, tags);
                }

                _steps = value.Step;
                _elapsed = value.Elapsed;
            }

            TrainingBoard.Update(labels, s => s with
            {
                ValAccuracy = value.ValAccuracy ?? s.ValAccuracy,
                BestValAccuracy = value.BestValAccuracy,
                UnprunedFraction = value.UnprunedFraction,
                Progress = value.TotalSteps > 0 ? Math.Clamp((double)value.Step / value.TotalSteps, 0, 1) : s.Progress,
            });
        }

        /// <summary>Counts the steps a trainer did not report (one that reports no progress, or not at the last step).</summary>
        public void CompleteSteps(int total)
        {
            if (total > _steps)
            {
                GridMetrics.TrainingSteps.Add(total - _steps, tags);
                _steps = total;
            }
        }
    }
}
