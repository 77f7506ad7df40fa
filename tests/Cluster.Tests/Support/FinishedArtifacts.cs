using System.Text.RegularExpressions;

namespace Grid.Cluster.Tests.Support;

/// <summary>A piece of finished work and the files it produced (which must never change again).</summary>
/// <param name="Key">What it is, relative to the watched directory (e.g. "runs/&lt;hash&gt;/iter-002").</param>
public sealed record FinishedWork(string Key, IReadOnlyList<string> Files);

/// <summary>Finished work as the product's own records seal it, read from the files.</summary>
public static partial class FinishedArtifacts
{
    [GeneratedRegex(@"^iter-(\d{3})$")]
    private static partial Regex IterationDirectory();

    /// <summary>
    /// The iterations of a sweep's runs (runs/&lt;hash&gt;/iter-NNN) whose summary.json is written: the iteration's files,
    /// the next iteration's mask (written by this one) and, for iteration 0, the run's init.npz, rewind.npz and spec.json.
    /// </summary>
    public static IEnumerable<FinishedWork> InSweep(string sweepDirectory)
    {
        foreach (var (run, iteration, number) in Iterations(Path.Combine(sweepDirectory, "runs")))
        {
            if (!File.Exists(Path.Combine(iteration, "summary.json")))
            {
                continue;
            }

            var files = FilesIn(iteration);
            string next = Path.Combine(run, $"iter-{number + 1:D3}", "mask.npz");
            if (File.Exists(next))
            {
                files.Add(next);
            }

            if (number == 0)
            {
                files.AddRange(new[] { "init.npz", "rewind.npz", "spec.json" }.Select(f => Path.Combine(run, f)).Where(File.Exists));
            }

            yield return new FinishedWork($"runs/{Path.GetFileName(run)}/{Path.GetFileName(iteration)}", files);
        }
    }

    /// <summary>
    /// The run store's work: a trunk's or line's iteration whose summary.json is written (its files and, for a trunk, its
    /// init.npz and rewind.npz: "trunks/&lt;id&gt;/iter-000"), and a line's mask whose pruned.json is written (the mask
    /// and the record: "lines/&lt;id&gt;/iter-NNN mask").
    /// </summary>
    public static IEnumerable<FinishedWork> InStore(string storeRoot)
    {
        foreach (string kind in new[] { "trunks", "lines" })
        {
            foreach (var (part, iteration, number) in Iterations(Path.Combine(storeRoot, kind)))
            {
                string key = $"{kind}/{Path.GetFileName(part)}/{Path.GetFileName(iteration)}";
                if (File.Exists(Path.Combine(iteration, "pruned.json")))
                {
                    yield return new FinishedWork(key + " mask",
                        [.. new[] { "pruned.json", "mask.npz" }.Select(f => Path.Combine(iteration, f)).Where(File.Exists)]);
                }

                if (File.Exists(Path.Combine(iteration, "summary.json")))
                {
                    var files = FilesIn(iteration);
                    if (number == 0)
                    {
                        files.AddRange(new[] { "init.npz", "rewind.npz" }.Select(f => Path.Combine(part, f)).Where(File.Exists));
                    }

                    yield return new FinishedWork(key, files);
                }
            }
        }
    }

    /// <summary>(part directory, iteration directory, iteration) of every iter-NNN under the parts in <paramref name="parent"/>.</summary>
    private static IEnumerable<(string Part, string Iteration, int Number)> Iterations(string parent)
    {
        if (!Directory.Exists(parent))
        {
            yield break;
        }

        foreach (string part in Directory.EnumerateDirectories(parent))
        {
            foreach (string iteration in Directory.EnumerateDirectories(part))
            {
                var match = IterationDirectory().Match(Path.GetFileName(iteration));
                if (match.Success)
                {
                    yield return (part, iteration, int.Parse(match.Groups[1].Value));
                }
            }
        }
    }

    /// <summary>The files of a directory, without hidden ones (claims, temporaries of atomic writes).</summary>
    private static List<string> FilesIn(string directory) =>
        [.. Directory.EnumerateFiles(directory).Where(f => !Path.GetFileName(f).StartsWith('.'))];
}
