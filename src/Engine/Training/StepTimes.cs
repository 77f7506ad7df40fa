using System.Diagnostics;
using Grid.Engine.Numerics;

namespace Grid.Engine.Training;

/// <summary>The wall time of each training step (batch drawn, forward, backward, update; validation, hooks and the thread
/// calibration left out), for the median a training reports: unlike its whole time, the median does not count the
/// first iteration's one-off costs (the thread calibration, compiling the step) nor a moment of load. On a device that
/// queues work (CUDA) a step's time is the time to queue it.</summary>
public sealed class StepTimes
{
    private readonly List<double> _milliseconds = [];
    private long _start;

    public void Start() => _start = Stopwatch.GetTimestamp();

    /// <summary>Ends the step started last; returns its length in <see cref="Stopwatch"/> ticks.</summary>
    public long Stop()
    {
        long ticks = Stopwatch.GetTimestamp() - _start;
        _milliseconds.Add(ticks * 1000.0 / Stopwatch.Frequency);
        return ticks;
    }

    /// <summary>The median step in milliseconds; null before any step.</summary>
    public double? MedianMilliseconds => _milliseconds.Count == 0 ? null : Statistics.Median(_milliseconds);
}
