using System.Diagnostics;

namespace Grid.Engine.Training.Backprop;

/// <summary>
/// Wall time per phase of training steps, for benchmarks that ask where a step's time goes: attached to a
/// <see cref="BackpropStep"/> (<see cref="BackpropStep.Phases"/>), the step calls <see cref="Mark"/> as each phase ends,
/// and the time since the previous mark goes to that phase. Phases sum over steps until <see cref="Restart"/>.
/// </summary>
public sealed class StepPhases
{
    private readonly List<string> _order = [];
    private readonly Dictionary<string, double> _milliseconds = [];
    private long _last = Stopwatch.GetTimestamp();

    /// <summary>Forgets the sums; the next phase starts now.</summary>
    public void Restart()
    {
        _order.Clear();
        _milliseconds.Clear();
        _last = Stopwatch.GetTimestamp();
    }

    /// <summary>The phase <paramref name="phase"/> ends now: the time since the previous mark (or the restart) is its.</summary>
    public void Mark(string phase)
    {
        long now = Stopwatch.GetTimestamp();
        if (!_milliseconds.TryGetValue(phase, out double sum))
        {
            _order.Add(phase);
        }

        _milliseconds[phase] = sum + Stopwatch.GetElapsedTime(_last, now).TotalMilliseconds;
        _last = now;
    }

    /// <summary>Each phase in the order it first ended, with its summed ms.</summary>
    public IReadOnlyList<(string Phase, double Milliseconds)> Sums => [.. _order.Select(p => (p, _milliseconds[p]))];
}
