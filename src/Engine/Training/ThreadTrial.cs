using System.Diagnostics;
using Grid.Engine.Numerics;
using Grid.Engine.Runtime;

namespace Grid.Engine.Training;

/// <summary>
/// Chooses a slot's thread count from the real steps of the training it is in, for layouts whose bits do not depend on
/// the count (<see cref="ThreadCalibration"/>). <see cref="ThreadCalibration"/> times a bare gradient step once per process;
/// a real step also draws its batch and updates the weights, and shares the machine with the previous iteration's
/// analyses, and there a small network often trains slower on two threads than on one although calibration found two
/// faster (measured in docs/throughput.md). So after a few warm steps the trial trains short blocks of steps at each count
/// from 1 to the cores available, in alternating order over several rounds, compares the median step time of each
/// count, and keeps the fastest (more threads only when clearly faster: fewer leave cores to other work). It repeats
/// while the training goes on, since what else runs changes (analyses end, other slots start): soon after a trial that
/// changed the count, less and less often while the count holds. Trials take at most about a tenth of the steps, and
/// none in training too short for one.
/// </summary>
public sealed class ThreadTrial
{
    /// <summary>Steps per count in one round; the first step after a change is not timed.</summary>
    public const int BlockSteps = 4;

    public const int Rounds = 6;

    /// <summary>Steps before the first trial (allocations, caches).</summary>
    public const int WarmupSteps = 10;

    /// <summary>Steps between two trials, in trial lengths (so trials take at most 1 / (1 + this) of the steps); doubled
    /// after each trial that kept the count before it, up to <see cref="MaxTrialsApart"/>, and back to this after a change.</summary>
    public const int TrialsApart = 9;

    public const int MaxTrialsApart = 8 * TrialsApart;

    /// <summary>More threads are kept only when their median step is at least this much shorter.</summary>
    public const double MoreThreadsMargin = 0.05;

    private readonly ThreadBudget _budget;
    private readonly int _steps;
    private readonly Dictionary<int, List<long>> _ticks = [];
    private int _start = WarmupSteps + 1;
    private int _counts;
    private int _apart = TrialsApart;
    private bool _timed;
    private readonly List<(int Step, int Threads)> _decisions = [];

    /// <param name="budget">the adaptive budget of the training thread</param>
    /// <param name="steps">the training's step budget</param>
    public ThreadTrial(ThreadBudget budget, int steps)
    {
        _budget = budget;
        _steps = steps;
    }

    /// <summary>The counts each trial kept, with the step it ended at (for logs and tests).</summary>
    public IReadOnlyList<(int Step, int Threads)> Decisions => _decisions;

    /// <summary>Call before step <paramref name="step"/> (1-based): sets the count the step trains with during a trial.</summary>
    public void BeforeStep(int step)
    {
        _timed = false;
        if (step == _start)
        {
            Begin(step);
        }

        if (_counts == 0)
        {
            return;
        }

        int offset = step - _start;
        int perRound = _counts * BlockSteps;
        if (offset >= Rounds * perRound)
        {
            Decide(step);
            return;
        }

        int round = offset / perRound, block = offset % perRound / BlockSteps;
        int count = round % 2 == 0 ? block + 1 : _counts - block; // alternating order: a drift in time favours no count
        if (offset % BlockSteps == 0)
        {
            _budget.UseCeiling(count);
        }
        else
        {
            _timed = true;
        }
    }

    /// <summary>Call after the step with its duration in <see cref="Stopwatch"/> ticks. It counts for the threads the step
    /// actually trained with (load may have lowered them).</summary>
    public void AfterStep(long ticks)
    {
        if (_timed)
        {
            int threads = _budget.Threads;
            if (!_ticks.TryGetValue(threads, out var list))
            {
                _ticks[threads] = list = [];
            }

            list.Add(ticks);
        }
    }

    private int TrialLength(int counts) => Rounds * counts * BlockSteps;

    private void Begin(int step)
    {
        int counts = _budget.Usable;
        if (counts < 2 || step + TrialLength(counts) > _steps || _steps < (TrialsApart + 1) * TrialLength(counts))
        {
            // One count is all there is now (other slots or processes hold the rest), or too few steps remain.
            _start = counts < 2 ? step + TrialLength(2) * TrialsApart : int.MaxValue;
            return;
        }

        _counts = counts;
        _ticks.Clear();
    }

    private void Decide(int step)
    {
        var medians = _ticks.ToDictionary(t => t.Key, t => Statistics.Median(t.Value.Select(ticks => (double)ticks)));
        int best = _budget.Ceiling;
        if (medians.Count > 0)
        {
            best = medians.Keys.Min();
            foreach (int threads in medians.Keys.Order())
            {
                if (medians[threads] < medians[best] * (1 - MoreThreadsMargin))
                {
                    best = threads;
                }
            }
        }

        _apart = _decisions.Count > 0 && _decisions[^1].Threads == best ? Math.Min(2 * _apart, MaxTrialsApart) : TrialsApart;
        _budget.UseCeiling(best);
        _decisions.Add((step, best));
        _start = step + _apart * TrialLength(_counts);
        _counts = 0;
    }
}
