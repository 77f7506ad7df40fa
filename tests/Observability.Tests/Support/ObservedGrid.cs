using System.Globalization;
using Grid.Client.Cluster;
using Grid.Client.Specs;
using Grid.Engine.Sweeps;

namespace Grid.Observability.Tests.Support;

/// <summary>One finished iteration of summary.csv.</summary>
public sealed record SummaryRow(string Run, IReadOnlyDictionary<string, string> Axes, int Iteration, double UnprunedFraction, double BestValAccuracy);

/// <summary>
/// Shared by the observability tests (one per test run, ~30 s): a real silo process, a real Prometheus scraping its
/// /metrics every second, and a tiny real sweep (Fashion-MNIST, two seeds) submitted through the client API over the
/// silo's gateway and run to the end.
/// </summary>
public sealed class ObservedGrid : IAsyncLifetime
{
    public const string SweepName = "obs-tiny";

    public static readonly string SweepYaml = $"""
        name: {SweepName}
        base:
          dataset:
            name: fashion-mnist
            fraction: 0.05
            val_size: 500
          network:
            hidden: [16, 16, 16]
          training:
            batch_size: 50
            steps: 40
            validate_every: 20
          pruning:
            rate: 0.5
            rewind_step: 5
            max_iterations: 2
        matrix:
          - field: seed
            values: [0, 1]
        analysis: [connectivity]
        """;

    private readonly string _work = Path.Combine(Path.GetTempPath(), "grid-observability-tests", Guid.NewGuid().ToString("N")[..12]);
    private SiloProcess? _silo;
    private PrometheusServer? _prometheus;

    public SiloProcess Silo => _silo ?? throw new InvalidOperationException("not started");

    public PrometheusServer Prometheus => _prometheus ?? throw new InvalidOperationException("not started");

    public SweepStatus Status { get; private set; } = new();

    /// <summary>The sweep label of the metrics: the sweep's directory name.</summary>
    public string Sweep => Status.Sweep.Directory;

    public IReadOnlyList<string> Axes => Status.Sweep.Axes;

    public IReadOnlyList<SummaryRow> Rows { get; private set; } = [];

    public async Task InitializeAsync()
    {
        PrometheusServer.RequireInstalled();
        Directory.CreateDirectory(_work);
        _silo = await SiloProcess.StartAsync(_work, ProgressWait.EventBound);
        _prometheus = await PrometheusServer.StartAsync(_work, [$"127.0.0.1:{_silo.WebPort}"], ProgressWait.EventBound);

        var file = SweepFile.Parse(SweepYaml);
        Assert.True(file.IsValid, string.Join("\n", file.Errors));
        await using (var connection = await GridConnection.ConnectAsync(_silo.Gateway, CancellationToken.None))
        {
            var coordinator = connection.Client.GetGrain<ISweepGrain>(file.Sweep.Hash());
            var submitted = await coordinator.Submit(new SweepSubmission { DocumentJson = file.Document!.ToJsonString(), SourceText = SweepYaml });
            Assert.True(submitted.Accepted, string.Join("\n", submitted.Errors));
            Status = await WaitFinishedAsync(coordinator);
        }

        Assert.True(Status.State == SweepState.Finished,
            $"the sweep ended {Status.State}: {Status.Message} {string.Join("; ", Status.Runs.Select(r => r.Error))}\nsilo output:\n{_silo.Tail()}");
        Rows = ReadSummary(Path.Combine(_silo.Results, Status.Sweep.Directory, SweepLayout.SummaryFile));
    }

    public async Task DisposeAsync()
    {
        if (_prometheus is not null)
        {
            await _prometheus.DisposeAsync();
        }

        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>
    /// The sweep's final status once summary.csv lists every finished iteration (the coordinator writes it on the tick
    /// that saw the last run finish). Fails only when the status has not changed for <see cref="ProgressWait.Stall"/>.
    /// </summary>
    private async Task<SweepStatus> WaitFinishedAsync(ISweepGrain coordinator)
    {
        SweepStatus? last = null;
        var status = await ProgressWait.UntilAsync("the sweep to finish", async () =>
        {
            last = await coordinator.GetStatus();
            return last.IsTerminal ? last : null;
        }, () => Task.FromResult(last is null ? "no status" : string.Join("; ", last.Runs.Select(r =>
            $"#{r.Index} {r.State} {r.FinishedIterations} it, step {r.Current?.Step} {r.Error}")) + $"; silo output: {Silo.Tail()}"));
        string summary = Path.Combine(_silo!.Results, status.Sweep.Directory, SweepLayout.SummaryFile);
        await ProgressWait.ForEventAsync("summary.csv to list every finished iteration", () => File.Exists(summary)
            && CsvText.Parse(File.ReadAllText(summary)).Count(r => r[^1] == "finished") == status.FinishedIterations);
        return status;
    }

    private IReadOnlyList<SummaryRow> ReadSummary(string path)
    {
        Assert.True(File.Exists(path), $"{path} was not written");
        var table = CsvText.Parse(File.ReadAllText(path));
        var header = table[0];
        int Column(string name)
        {
            int index = header.ToList().IndexOf(name);
            Assert.True(index >= 0, $"summary.csv has no column {name}: {string.Join(",", header)}");
            return index;
        }

        int run = Column("run"), iteration = Column("iteration"), unpruned = Column("unpruned_fraction"),
            best = Column("best_val_accuracy"), status = Column("status");
        var axes = Axes.Select(a => (Axis: a, Index: Column(a))).ToList();
        return
        [
            .. table.Skip(1).Where(r => r.Count == header.Count && r[status] == SummaryTable.Finished).Select(r => new SummaryRow(
                r[run],
                axes.ToDictionary(a => a.Axis, a => r[a.Index]),
                int.Parse(r[iteration], CultureInfo.InvariantCulture),
                double.Parse(r[unpruned], CultureInfo.InvariantCulture),
                double.Parse(r[best], CultureInfo.InvariantCulture))),
        ];
    }
}

[CollectionDefinition(Name)]
public sealed class ObservedGridCollection : ICollectionFixture<ObservedGrid>
{
    public const string Name = "observed grid";
}
