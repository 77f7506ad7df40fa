namespace Grid.Engine.IO;

/// <summary>
/// An exclusive claim shared by every process that sees a directory: an exclusively opened lock file. On Linux .NET
/// takes an advisory <c>flock</c> for <see cref="FileShare.None"/>, which the kernel drops the moment its process dies
/// (even by <c>kill -9</c>): a claim never outlives its holder, so no stale lock ever blocks a retry. The file stays
/// (empty but for its last holder's name); deleting it would let a waiter and a newcomer lock two different files.
/// </summary>
public sealed class FileClaim : IDisposable
{
    // HResult of the IOException when the file is locked: ERROR_SHARING_VIOLATION on Windows, the errno of the
    // failed flock (EWOULDBLOCK: 11 on Linux, 35 on macOS) elsewhere.
    private const int SharingViolation = unchecked((int)0x80070020);
    private const int WouldBlockLinux = 11;
    private const int WouldBlockMac = 35;
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);
    private readonly FileStream _lock;

    private FileClaim(FileStream @lock, string path)
    {
        _lock = @lock;
        Path = path;
    }

    public string Path { get; }

    /// <summary>Who claims: host and process, written into the lock file for people who wonder who holds it.</summary>
    public static string ThisProcess => $"{Environment.MachineName} pid {Environment.ProcessId}";

    /// <summary>The claim, or null while another process (or another holder in this one) has it.</summary>
    public static FileClaim? TryAcquire(string path, string holder)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
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

        return new FileClaim(stream, path);
    }

    /// <summary>Waits (polling every <paramref name="poll"/>, by default a quarter second) until the claim is free, or
    /// <paramref name="cancellationToken"/> is cancelled; <paramref name="onBusy"/> is called once if it has to wait.</summary>
    public static FileClaim Acquire(string path, string holder, Action? onBusy, CancellationToken cancellationToken, TimeSpan? poll = null)
    {
        bool reported = false;
        while (true)
        {
            if (TryAcquire(path, holder) is { } claim)
            {
                return claim;
            }

            if (!reported)
            {
                reported = true;
                onBusy?.Invoke();
            }

            cancellationToken.WaitHandle.WaitOne(poll ?? Poll);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    public void Dispose() => _lock.Dispose();
}
