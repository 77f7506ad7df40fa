using System.Diagnostics;
using Grid.Cluster.Tests.Support;

namespace Grid.Cluster.Tests;

/// <summary>`grid run` on its embedded silo, as a real process, stopped with SIGTERM (`kill`, or Kubernetes).</summary>
public sealed class EmbeddedRunSignalTests
{
    private const int Iterations = 9;

    [Fact]
    public async Task Sigterm_stops_an_embedded_run_like_ctrl_c_and_keeps_the_finished_iterations()
    {
        string directory = Path.Combine(Path.GetTempPath(), "grid-sigterm-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        try
        {
            // Nine iterations of 1000 steps: the signal comes after the first, long before the last, however busy the
            // machine (with 200 steps the whole run once finished, on a busy machine, before the signal was handled).
            string spec = Path.Combine(directory, "sweep.yaml");
            File.WriteAllText(spec, Sweeps.Small("sigterm", "[0]", maxIterations: Iterations - 1, steps: 1000));
            string results = Path.Combine(directory, "results");
            using var process = WatchedProcess.Start(GridExecutables.CliStart(directory, ["run", spec, "--results", results]));
            string firstIteration = await ProgressWait.UntilAsync("the first iteration to finish",
                () =>
                {
                    if (process.HasExited)
                    {
                        Assert.Fail($"grid run exited ({process.ExitCode}) before its first iteration finished:\n{process.Output}");
                    }

                    return Task.FromResult(Directory.Exists(results)
                        ? Directory.EnumerateFiles(results, "summary.json", SearchOption.AllDirectories).FirstOrDefault()
                        : null);
                },
                () => Task.FromResult($"{ProgressWait.FilesUnder(results)}; {process.Lines} lines of output"));

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString()]))
            {
                await kill.WaitForExitAsync();
            }

            Assert.True(await process.WaitForExitAsync(ProgressWait.EventBound), $"still running {ProgressWait.EventBound.TotalSeconds} s after SIGTERM:\n{process.Output}");
            string output = process.Output;
            Assert.True(process.ExitCode == 130, $"exit code {process.ExitCode}, expected 130 (interrupted):\n{output}");
            Assert.Contains("Cancelled", output);
            Assert.True(File.Exists(firstIteration), $"{firstIteration} was lost");
            var finished = Directory.EnumerateFiles(results, "summary.json", SearchOption.AllDirectories).Count();
            Assert.InRange(finished, 1, Iterations - 1); // stopped before the run's last iteration
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
