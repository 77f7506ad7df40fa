using System.Diagnostics;
using System.Text;

namespace Grid.Observability.Tests.Support;

/// <summary>A process this test started: output kept (last lines, for failure messages), killed with its children on dispose.</summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _tail = new();
    private readonly StreamWriter _log;

    private ChildProcess(Process process, string logFile)
    {
        _process = process;
        LogFile = logFile;
        _log = new StreamWriter(logFile, append: false, Encoding.UTF8) { AutoFlush = true };
    }

    public string Name => _process.StartInfo.FileName;

    public string LogFile { get; }

    public bool HasExited => _process.HasExited;

    public int Id => _process.Id;

    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, string workingDirectory, string logFile,
        IReadOnlyDictionary<string, string?>? environment = null, IEnumerable<string>? removeVariablesWithPrefix = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (string prefix in removeVariablesWithPrefix ?? [])
        {
            foreach (string key in info.Environment.Keys.Where(k => k.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).ToList())
            {
                info.Environment.Remove(key);
            }
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(process, logFile);
        process.OutputDataReceived += (_, e) => child.Append(e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"could not start {fileName}");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits up to <paramref name="bound"/> for the process to exit and for the last of its output to be read
    /// (<see cref="HasExited"/> turns true before the output pipes are drained); false when it did not exit in time.</summary>
    public Task<bool> WaitForExitAsync(TimeSpan bound) => _process.ExitsWithinAsync(bound);

    /// <summary>The last lines the process wrote, for failure messages.</summary>
    public string Tail()
    {
        lock (_tail)
        {
            return string.Join('\n', _tail);
        }
    }

    public void Dispose()
    {
        _process.KillTreeAndDispose();
        lock (_tail)
        {
            _log.Dispose();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_tail)
        {
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
            }

            _tail.Enqueue(line);
            while (_tail.Count > 60)
            {
                _tail.Dequeue();
            }
        }
    }
}
