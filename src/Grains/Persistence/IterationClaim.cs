using Grid.Engine.IO;
using Grid.Engine.Runs;

namespace Grid.Grains.Persistence;

/// <summary>
/// An exclusive claim on training one iteration of a run's directory, shared by every process that sees the results
/// store: the <see cref="FileClaim"/> <c>.iter-NNN.lock</c> in the run directory. (The run store takes its own claims
/// on the trunks and lines that several runs share.)
/// </summary>
public static class IterationClaim
{
    public static string LockPath(string runDirectory, int iteration) => new RunDirectory(runDirectory).ClaimFile(iteration);

    /// <summary>The claim, or null while another process (or another job of this one) holds it.</summary>
    public static FileClaim? TryAcquire(string runDirectory, int iteration, string holder) =>
        FileClaim.TryAcquire(LockPath(runDirectory, iteration), holder);

    /// <summary>Waits (polling) until the claim is free, or <paramref name="cancellationToken"/> is cancelled.</summary>
    public static FileClaim Acquire(string runDirectory, int iteration, string holder, Action onBusy, CancellationToken cancellationToken) =>
        FileClaim.Acquire(LockPath(runDirectory, iteration), holder, onBusy, cancellationToken);
}
