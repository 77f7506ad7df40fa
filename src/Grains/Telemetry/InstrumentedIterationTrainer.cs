using System.Diagnostics;
using Grid.Engine.Runs;
using Grid.Engine.Specs;
using Grid.Grains.Training;

namespace Grid.Grains.Telemetry;

/// <summary>
/// Wraps the silo's <see cref="IIterationTrainer"/>: counts started / finished / failed / cancelled iterations, their
/// wall time, the steps trained and the time per step (from the trainer's progress reports, one per validation
/// point), and keeps the live accuracy and unpruned fraction of each iteration on the <see cref="TrainingBoard"/>.
/// Runs on the training thread; recording never throws into training.
/// </summary>
public sealed class InstrumentedIterationTrainer(IIterationTrainer inner, string silo) : IIterationTrainer
{
    public IIterationTrainer Inner => inner;

    public IterationOutcome? ReadFinished(string runDirectory, int iteration) => inner.ReadFinished(runDirectory, iteration);

    public IterationOutcome Train(ExperimentSpec spec, string runDirectory, int iteration, TrainingSlot slot, IProgress<TrainingProgress> progress, CancellationToken cancellationToken)
    {
        var labels = IterationLabels.FromRunDirectory(runDirectory, iteration);
        var tags = new TagList { { GridMetrics.Sweep, labels.Sweep }, { GridMetrics.Silo, silo } };

        // Failure counters start at 0 for every sweep and silo, so rate() and increase() see the first failure.
        GridMetrics.IterationsFailed.Add(0, tags);
        GridMetrics.IterationsCancelled.Add(0, tags);
        GridMetrics.IterationsStarted.Add(1, tags);
        TrainingBoard.Begin(labels, silo);
        var tracker = new ProgressRecorder(progress, labels, tags);
        var clock = Stopwatch.StartNew();
        IterationOutcome outcome;
        try
        {
            outcome = inner.Train(spec, runDirectory, iteration, slot, tracker, cancellationToken);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            GridMetrics.IterationsCancelled.Add(1, tags);
            TrainingBoard.End(labels);
            throw;
        }
        catch (Exception)
        {
            GridMetrics.IterationsFailed.Add(1, tags);
            TrainingBoard.End(labels);
            throw;
        }

        if (outcome.Reused)
        {
            GridMetrics.IterationsReused.Add(1, tags);
            TrainingBoard.End(labels);
            return outcome;
        }

        tracker.CompleteSteps(spec.Training.Steps);
        GridMetrics.IterationDuration.Record(clock.Elapsed.TotalSeconds, tags);
        GridMetrics.IterationsFinished.Add(1, tags);
        TrainingBoard.End(labels, s => s with
        {
            ValAccuracy = s.ValAccuracy ?? outcome.BestValAccuracy,
            BestValAccuracy = outcome.BestValAccuracy,
            UnprunedFraction = outcome.UnprunedFraction,
            Progress = 1,
        });
        return outcome;
    }

    /// <summary>Forwards every report to the job, then records steps and the per-step time since the previous report.</summary>
    private sealed class ProgressRecorder(IProgress<TrainingProgress> inner, IterationLabels labels, TagList tags) : IProgress<TrainingProgress>
    {
        private int _steps;
        private TimeSpan _elapsed;

        public void Report(TrainingProgress value)
        {
            inner.Report(value);
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
