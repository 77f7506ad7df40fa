namespace Grid.Grains.Persistence;

/// <summary>
/// An exclusive claim on training one iteration of a run, shared by every process that sees the results store: an
/// exclusively opened lock file (<c>.iter-NNN.lock</c> in the run directory). On Linux .NET takes an advisory
/// <c>flock</c> for <see cref="FileShare.None"/>, which the kernel drops the moment its process dies (even by
/// <c>kill -9</c>): a claim never outlives its holder, so no stale lock ever blocks a retry. The file stays (empty
/// but for its last holder's name); deleting it would let a waiter and a newcomer lock two different files.
/// </summary>
public sealed class IterationClaim : IDisposable
{
    // HResult of the IOException when the file is locked: ERROR_SHARING_VIOLATION on Windows, the errno of the
    // failed flock (EWOULDBLOCK: 11 on Linux, 35 on macOS) elsewhere.
    private const int SharingViolation = unchecked((int)0x80070020);
    private const int WouldBlockLinux = 11;
    private const int WouldBlockMac = 35;
    private readonly FileStream _lock;

    private IterationClaim(FileStream @lock, string path)
    {
        _lock = @lock;
        Path = path;
    }

    public string Path { get; }

    public static string LockPath(string runDirectory, int iteration) =>
        System.IO.Path.Combine(runDirectory, $".iter-{iteration:D3}.lock");

    /// <summary>The claim, or null while another process (or another job of this one) holds it.</summary>
    public static IterationClaim? TryAcquire(string runDirectory, int iteration, string holder)
    {
        Directory.CreateDirectory(runDirectory);
        string path = LockPath(runDirectory, iteration);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException error) when (error.HResult is SharingViolation or WouldBlockLinux or WouldBlockMac)
        {
            return null;
        }

        try
        {
            stream.SetLength(0);
            stream.Write(System.Text.Encoding.UTF8.GetBytes($"{holder} {DateTimeOffset.UtcNow:O}\n"));
            stream.Flush();
        }
        catch (IOException)
        {
            // the name of the holder is only a diagnostic
        }

        return new IterationClaim(stream, path);
    }

    /// <summary>Waits (polling) until the claim is free, or <paramref name="cancellationToken"/> is cancelled.</summary>
    public static IterationClaim Acquire(string runDirectory, int iteration, string holder, Action onBusy, CancellationToken cancellationToken)
    {
        bool reported = false;
        while (true)
        {
            if (TryAcquire(runDirectory, iteration, holder) is { } claim)
            {
                return claim;
            }

            if (!reported)
            {
                reported = true;
                onBusy();
            }

            cancellationToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(250));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    public void Dispose() => _lock.Dispose();
}
