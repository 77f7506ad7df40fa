namespace Grid.Cluster.Tests.Support;

/// <summary>Waits for a sweep on a cluster whose silos may die meanwhile.</summary>
public static class SweepCompletion
{
    /// <summary>The sweep's final status; fails when its status has not changed for <see cref="ProgressWait.Stall"/>.</summary>
    public static async Task<SweepStatus> WaitForTerminalAsync(ISweepGrain coordinator)
    {
        SweepStatus? last = null;
        return await ProgressWait.UntilAsync("the sweep to finish", async () =>
        {
            try
            {
                last = await coordinator.GetStatus();
                return last.IsTerminal ? last : null;
            }
            catch (Exception)
            {
                return null; // a silo just died: ask again
            }
        }, () => Task.FromResult(last is null ? "no status" : Describe(last)));
    }

    public static string Describe(SweepStatus status) =>
        $"{status.State}: " + string.Join("; ", status.Runs.Select(r => $"#{r.Index} {r.State} {r.FinishedIterations} it {r.Current?.Iteration} step {r.Current?.Step} {r.Error}"));
}
