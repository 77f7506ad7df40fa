using System.Collections.Concurrent;
using System.Diagnostics;

namespace Grid.Deploy.Tests.Support;

/// <summary>
/// Renders kustomizations with <c>kubectl kustomize</c> (the KUBECTL environment variable may name the binary;
/// otherwise kubectl on PATH). Renders are cached per directory for the test run.
/// </summary>
public static class Kubectl
{
    private static readonly ConcurrentDictionary<string, Lazy<Manifests>> Cache = new(StringComparer.Ordinal);

    public static Manifests Kustomize(string relativeDirectory) =>
        Cache.GetOrAdd(relativeDirectory, dir => new Lazy<Manifests>(() => Render(dir))).Value;

    public static string Locate()
    {
        string? configured = Environment.GetEnvironmentVariable("KUBECTL");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            Assert.True(File.Exists(configured), $"KUBECTL={configured} does not exist");
            return configured;
        }

        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, "kubectl");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Fail("kubectl is not installed, so the Kubernetes manifests (k8s/) cannot be rendered and checked. "
            + "Install it (Debian: apt-get install -y kubernetes-client) or set KUBECTL to its path.");
        throw new InvalidOperationException("unreachable");
    }

    private static Manifests Render(string relativeDirectory)
    {
        string kubectl = Locate();
        string dir = Repo.PathOf(relativeDirectory);
        Assert.True(Directory.Exists(dir), $"{relativeDirectory} does not exist");
        var start = new ProcessStartInfo(kubectl)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Repo.Root,
        };
        start.ArgumentList.Add("kustomize");
        start.ArgumentList.Add(dir);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {kubectl}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"kubectl kustomize {relativeDirectory} did not finish within 2 minutes");
        }

        Task.WaitAll(stdout, stderr);
        Assert.True(process.ExitCode == 0,
            $"kubectl kustomize {relativeDirectory} failed (exit {process.ExitCode}):{Environment.NewLine}{stderr.Result}");
        return Manifests.Parse(relativeDirectory, stdout.Result);
    }
}
