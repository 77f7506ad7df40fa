namespace Grid.Grains.Sweeps;

/// <summary>
/// What a sweep coordinator last heard from each of its runs (an answer to its command or a one-way report), to tell a
/// fresh report from a stale one and a silent run from one that reports. One-way messages are not ordered, so a report is
/// taken only when it comes from the run activation that last answered and was given out after what was heard last
/// (<see cref="RunStatus.Activation"/>, <see cref="RunStatus.Sequence"/>). A report from another activation (one the
/// coordinator has not asked: the run was lost with its silo and woken again) is not taken either: the run falls silent,
/// and the answer to the coordinator's next command names the activation to listen to.
/// </summary>
public sealed class RunHearing
{
    private readonly Dictionary<string, Heard> _heard = new(StringComparer.Ordinal);

    /// <summary>Takes a run's answer: the latest word from it, as the coordinator asked for it.</summary>
    public void Answered(RunStatus status, DateTimeOffset now) => _heard[status.RunHash] = new Heard(status.Activation, status.Sequence, now);

    /// <summary>True when a report is fresh (and then remembers it); false when it is stale.</summary>
    public bool Reported(RunStatus status, DateTimeOffset now)
    {
        if (!_heard.TryGetValue(status.RunHash, out var heard) || heard.Activation != status.Activation || status.Sequence <= heard.Sequence)
        {
            return false;
        }

        _heard[status.RunHash] = new Heard(status.Activation, status.Sequence, now);
        return true;
    }

    /// <summary>True when the coordinator has heard from the run (since it started, or last forgot it).</summary>
    public bool HasHeard(string runHash) => _heard.ContainsKey(runHash);

    /// <summary>True when the run is to be asked: never heard from, or not within <paramref name="silence"/>.</summary>
    public bool IsSilent(string runHash, DateTimeOffset now, TimeSpan silence) =>
        !_heard.TryGetValue(runHash, out var heard) || now - heard.At >= silence;

    /// <summary>Forgets every run: each is asked again (e.g. to hand it a changed analysis list).</summary>
    public void Clear() => _heard.Clear();

    private readonly record struct Heard(Guid Activation, long Sequence, DateTimeOffset At);
}
