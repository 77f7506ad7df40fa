using System.Diagnostics;

namespace Grid.Observability.Tests.Support;

/// <summary>Debian's promtool (package prometheus): lints expositions and checks configuration files.</summary>
public static class Promtool
{
    public const string Binary = "/usr/bin/promtool";

    /// <summary>`promtool check metrics` on a scrape: its problem lines ("name problem"), empty when clean.</summary>
    public static async Task<IReadOnlyList<string>> CheckMetricsAsync(string exposition)
    {
        var (_, output) = await RunAsync(["check", "metrics"], exposition);
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    }

    /// <summary>`promtool check config FILE`: exit code and output.</summary>
    public static Task<(int ExitCode, string Output)> CheckConfigAsync(string file) => RunAsync(["check", "config", file], null);

    private static async Task<(int ExitCode, string Output)> RunAsync(IEnumerable<string> arguments, string? input)
    {
        Assert.True(File.Exists(Binary),
            $"{Binary} not found: it comes with Debian's prometheus package. Install it with `apt-get install prometheus` (as root; scripts/setup installs it when GRID_SETUP_SERVICES=1).");
        var info = new ProcessStartInfo(Binary)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {Binary}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(ProgressWait.EventBound);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
