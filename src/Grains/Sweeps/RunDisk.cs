using Grid.Engine.Runs;
using Grid.Engine.Sweeps;
using Grid.Grains.Hosting;

namespace Grid.Grains.Sweeps;

/// <summary>Reads a run's finished iterations from the results store, off the Orleans scheduler.</summary>
public static class RunDisk
{
    public static string RunPath(GridOptions options, RunRequest request) =>
        Path.Combine(options.ResultsPath, request.SweepDirectory, request.RunDirectory);

    public static Task<IReadOnlyList<IterationOutcome>> FinishedAsync(GridOptions options, RunRequest request) =>
        Task.Run(() =>
        {
            string path = RunPath(options, request);
            return Directory.Exists(path) ? RunExecutor.FinishedIterations(path) : (IReadOnlyList<IterationOutcome>)[];
        });

    /// <summary>True while the sweep's CANCELLED marker exists (a late wake-up must not restart a cancelled run).</summary>
    public static Task<bool> SweepCancelledAsync(GridOptions options, RunRequest request) =>
        Task.Run(() => File.Exists(Path.Combine(options.ResultsPath, request.SweepDirectory, SweepLayout.CancelledMarker)));
}
