using System.Diagnostics;
using Grid.Cluster.Tests.Support;

namespace Grid.Cluster.Tests;

/// <summary>`grid run` on its embedded silo, as a real process, stopped with SIGTERM (`kill`, or Kubernetes).</summary>
public sealed class EmbeddedRunSignalTests
{
    [Fact]
    public async Task Sigterm_stops_an_embedded_run_like_ctrl_c_and_keeps_the_finished_iterations()
    {
        string directory = Path.Combine(Path.GetTempPath(), "grid-sigterm-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        try
        {
            string spec = Path.Combine(directory, "sweep.yaml");
            File.WriteAllText(spec, Sweeps.Small("sigterm", "[0]", maxIterations: 8, steps: 2000));
            string results = Path.Combine(directory, "results");
            var start = GridExecutables.CliStart(directory, ["run", spec, "--results", results]);
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            try
            {
                string firstIteration = "";
                var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
                while (firstIteration == "" && DateTime.UtcNow < deadline && !process.HasExited)
                {
                    await Task.Delay(200);
                    firstIteration = Directory.Exists(results)
                        ? Directory.EnumerateFiles(results, "summary.json", SearchOption.AllDirectories).FirstOrDefault() ?? ""
                        : "";
                }

                if (firstIteration == "")
                {
                    Assert.Fail("no iteration finished within 120 s:\n" + await OutputAsync(process, stdout, stderr));
                }

                using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString()]))
                {
                    await kill.WaitForExitAsync();
                }

                using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                await process.WaitForExitAsync(exit.Token);
                string output = await stdout + await stderr;

                Assert.True(process.ExitCode == 130, $"exit code {process.ExitCode}, expected 130 (interrupted):\n{output}");
                Assert.Contains("Cancelled", output);
                Assert.True(File.Exists(firstIteration), $"{firstIteration} was lost");
                var finished = Directory.EnumerateFiles(results, "summary.json", SearchOption.AllDirectories).Count();
                Assert.InRange(finished, 1, 8); // stopped before the run's 9 iterations were done
            }
            finally
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<string> OutputAsync(Process process, Task<string> stdout, Task<string> stderr)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        return await stdout + await stderr;
    }
}
