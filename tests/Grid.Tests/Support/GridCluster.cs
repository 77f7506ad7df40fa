using Grid.Client.Specs;
using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;

namespace Grid.Tests.Support;

/// <summary>A real Orleans TestCluster of grid silos sharing one temporary results root.</summary>
public sealed class GridCluster : IAsyncDisposable
{
    private GridCluster(TestCluster cluster, string results)
    {
        Cluster = cluster;
        Results = results;
    }

    public TestCluster Cluster { get; }

    public string Results { get; }

    public IClusterClient Client => Cluster.Client;

    /// <param name="trainer">"simulated" or "engine".</param>
    /// <param name="slots">Device slots per silo; the first is the primary silo.</param>
    public static Task<GridCluster> StartAsync(string trainer, params int[] slots) => StartWithPollAsync(trainer, 100, slots);

    /// <summary>A cluster whose grains poll every <paramref name="pollMilliseconds"/> (Grid:PollMilliseconds).</summary>
    public static Task<GridCluster> StartWithPollAsync(string trainer, int pollMilliseconds, params int[] slots) =>
        StartAsync(trainer, pollMilliseconds, new Dictionary<string, string?>(), slots);

    /// <summary>A cluster whose silos also take these Grid options (e.g. ["RetryLimit"] = "2").</summary>
    public static Task<GridCluster> StartWithOptionsAsync(string trainer, IReadOnlyDictionary<string, string> grid, int pollMilliseconds, params int[] slots) =>
        StartAsync(trainer, pollMilliseconds, grid.ToDictionary(option => $"GridTest:Grid:{option.Key}", option => (string?)option.Value), slots);

    /// <summary>A cluster with extra host settings (e.g. GridTest:FakeCuda:Secondary_1 or GridTest:Grid:RetryLimit).</summary>
    public static async Task<GridCluster> StartAsync(string trainer, int pollMilliseconds, IReadOnlyDictionary<string, string?> extra, params int[] slots)
    {
        string results = Path.Combine(Path.GetTempPath(), "grid-tests", $"{trainer}-{Guid.NewGuid():N}"[..24]);
        Directory.CreateDirectory(results);
        var settings = new Dictionary<string, string?>
        {
            ["GridTest:Results"] = results,
            ["GridTest:Trainer"] = trainer,
            ["GridTest:Slots"] = "1",
            ["GridTest:PollMilliseconds"] = pollMilliseconds.ToString(),
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        for (int i = 0; i < slots.Length; i++)
        {
            settings[$"GridTest:Slots:{(i == 0 ? "Primary" : $"Secondary_{i}")}"] = slots[i].ToString();
        }

        var builder = new TestClusterBuilder((short)slots.Length);
        builder.Options.ConnectionTransport = ConnectionTransportType.TcpSocket; // real sockets: outside clients can connect
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureHostConfiguration(configuration => configuration.AddInMemoryCollection(settings));
        builder.AddSiloBuilderConfigurator<GridTestSilo>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new GridCluster(cluster, results);
    }

    /// <summary>Validates like the client does and submits to the sweep's coordinator.</summary>
    public async Task<(ISweepGrain Coordinator, SubmitResult Result, SweepFile File)> SubmitAsync(string yaml, IGrainFactory? grains = null)
    {
        var file = SweepFile.Parse(yaml);
        Assert.True(file.IsValid, string.Join("\n", file.Errors));
        var coordinator = (grains ?? Client).GetGrain<ISweepGrain>(file.Sweep.Hash());
        var result = await coordinator.Submit(new SweepSubmission { DocumentJson = file.Document!.ToJsonString(), SourceText = yaml });
        Assert.True(result.Accepted, string.Join("\n", result.Errors));
        return (coordinator, result, file);
    }

    /// <summary>
    /// Polls the coordinator until <paramref name="condition"/> holds. Fails only when the sweep's status (states,
    /// iterations, the current step of each run, pending analyses) has not changed for <see cref="ProgressWait.Stall"/>:
    /// a busy machine makes the sweep slower, not stuck.
    /// </summary>
    public static async Task<SweepStatus> WaitForAsync(ISweepGrain coordinator, Func<SweepStatus, bool> condition, string what)
    {
        SweepStatus? last = null;
        return await ProgressWait.UntilAsync(what, async () =>
        {
            try
            {
                last = await coordinator.GetStatus();
                return condition(last) ? last : null;
            }
            catch (Exception)
            {
                return null; // a silo just died: ask again
            }
        }, () => Task.FromResult(last is null ? "no status" : Describe(last)), poll: TimeSpan.FromMilliseconds(100));
    }

    /// <summary>One line per sweep status: what changes while the sweep makes progress.</summary>
    public static string Describe(SweepStatus status) =>
        $"{status.State} {status.Message}: " + string.Join("; ", status.Runs.Select(r =>
            $"#{r.Index} {r.State} {r.FinishedIterations} it, at {r.Current?.Iteration}/{r.Current?.Step}, {r.AnalysesPending} analyses pending {r.Error}"));

    /// <summary>Waits for one event, within the generous <see cref="ProgressWait.EventBound"/>.</summary>
    public static Task WaitUntilAsync(Func<bool> condition, string what) => ProgressWait.ForEventAsync(what, condition);

    /// <summary>Waits for one event, within the generous <see cref="ProgressWait.EventBound"/>.</summary>
    public static Task WaitUntilAsync(Func<Task<bool>> condition, string what) => ProgressWait.ForEventAsync(what, condition);

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        try
        {
            Directory.Delete(Results, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
