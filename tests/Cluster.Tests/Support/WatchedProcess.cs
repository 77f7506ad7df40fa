using System.Diagnostics;
using System.Text;

namespace Grid.Cluster.Tests.Support;

/// <summary>
/// A process a test started and watches while it runs: its output (stdout and stderr, in the order the lines came) and
/// how many lines it has printed so far, a progress signal for <see cref="ProgressWait"/>. Killed with its children on
/// dispose.
/// </summary>
public sealed class WatchedProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private int _lines;

    private WatchedProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public int Lines => Volatile.Read(ref _lines);

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <paramref name="start"/> with its output redirected to this watcher.</summary>
    public static WatchedProcess Start(ProcessStartInfo start)
    {
        start.UseShellExecute = false;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var process = new Process { StartInfo = start };
        var watched = new WatchedProcess(process);
        process.OutputDataReceived += (_, e) => watched.Append(e.Data);
        process.ErrorDataReceived += (_, e) => watched.Append(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"could not start {start.FileName}");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return watched;
    }

    /// <summary>True when the process exited within <paramref name="bound"/> (its output read to the end).</summary>
    public Task<bool> WaitForExitAsync(TimeSpan bound) => _process.ExitsWithinAsync(bound);

    public void Dispose() => _process.KillTreeAndDispose();

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        Interlocked.Increment(ref _lines);
    }
}
