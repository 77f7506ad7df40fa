using Grid.Analysis.Runs;
using Grid.Engine.Runs;
using Grid.Engine.Sweeps;
using Grid.Grains.Failures;
using Grid.Grains.Hosting;

namespace Grid.Grains.Sweeps;

/// <summary>What a run grain finds in the results store when it (re)starts.</summary>
/// <param name="Finished">Finished iterations that verify, in order.</param>
/// <param name="SetAside">Iterations that did not verify and were moved to the run's quarantine, or null.</param>
/// <param name="Failure">The run's recorded failure (it stays failed until its sweep is submitted again), or null.</param>
/// <param name="Generation">How many times iterations of this run were set aside so far.</param>
public sealed record RunLoad(IReadOnlyList<IterationOutcome> Finished, Quarantined? SetAside, RunFailureRecord? Failure, int Generation);

/// <summary>Reads (and repairs) a run's part of the results store, off the Orleans scheduler.</summary>
public static class RunDisk
{
    public static string RunPath(GridOptions options, RunRequest request) =>
        Path.Combine(options.ResultsPath, request.SweepDirectory, request.RunDirectory);

    /// <summary>
    /// The run's finished iterations, each verified against the checksums it recorded. The first one that does not
    /// verify is set aside with every later one (<see cref="RunQuarantine"/>), so that they are trained again. A run
    /// with a recorded failure is left as it is, unless <paramref name="clearFailure"/> (the sweep was submitted again).
    /// </summary>
    public static Task<RunLoad> LoadAsync(GridOptions options, RunRequest request, bool clearFailure) =>
        Task.Run(() =>
        {
            string path = RunPath(options, request);
            if (!Directory.Exists(path))
            {
                return new RunLoad([], null, null, 0);
            }

            if (clearFailure)
            {
                RunFailureFile.Clear(path);
            }
            else if (RunFailureFile.Read(path) is { } failure)
            {
                return new RunLoad(RunExecutor.FinishedIterations(path), null, failure, RunQuarantine.Count(path));
            }

            var check = RunIntegrity.Check(path, IntegrityDepth.Full);
            Quarantined? setAside = null;
            if (check.Problem is not null)
            {
                setAside = RunQuarantine.SetAside(path, check, [AnalysisLayout.DirectoryName], DateTimeOffset.UtcNow);
                check = RunIntegrity.Check(path, IntegrityDepth.Full);
            }

            return new RunLoad(check.Valid, setAside, null, RunQuarantine.Count(path));
        });

    /// <summary>Records why the run failed, so that it stays failed for whoever reads the store next.</summary>
    public static Task WriteFailureAsync(GridOptions options, RunRequest request, RunFailureRecord failure) =>
        Task.Run(() => RunFailureFile.Write(RunPath(options, request), failure));

    /// <summary>True while the sweep's CANCELLED marker exists (a late wake-up must not restart a cancelled run).</summary>
    public static Task<bool> SweepCancelledAsync(GridOptions options, RunRequest request) =>
        Task.Run(() => File.Exists(Path.Combine(options.ResultsPath, request.SweepDirectory, SweepLayout.CancelledMarker)));
}
