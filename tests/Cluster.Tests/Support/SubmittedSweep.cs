using Grid.Client.Cluster;
using Grid.Client.Specs;

namespace Grid.Cluster.Tests.Support;

/// <summary>A sweep submitted to a process cluster: its coordinator, hash and directory.</summary>
public sealed record SubmittedSweep(ISweepGrain Coordinator, string Hash, string Directory)
{
    /// <summary>Parses <paramref name="yaml"/> (it must be valid), submits it through <paramref name="connection"/>
    /// (it must be accepted) and logs what the grid plans to train.</summary>
    public static async Task<SubmittedSweep> SubmitAsync(GridProcessCluster cluster, GridConnection connection, string yaml)
    {
        var file = SweepFile.Parse(yaml);
        Assert.True(file.IsValid, string.Join("\n", file.Errors));
        string hash = file.Sweep.Hash();
        var coordinator = connection.Client.GetGrain<ISweepGrain>(hash);
        var submitted = await coordinator.Submit(new SweepSubmission { DocumentJson = file.Document!.ToJsonString(), SourceText = file.Text });
        Assert.True(submitted.Accepted, string.Join("\n", submitted.Errors));
        cluster.Log($"submitted {submitted.Sweep!.Name} ({hash}): {submitted.Sweep.RunCount} runs; to train {submitted.Plan?.ToTrain}, "
            + $"reused {submitted.Plan?.Reused}, shared {submitted.Plan?.Shared}");
        return new SubmittedSweep(coordinator, hash, Path.Combine(cluster.Results, submitted.Sweep.Directory));
    }
}
