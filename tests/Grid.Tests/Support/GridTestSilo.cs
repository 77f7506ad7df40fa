using Grid.Grains.Analysis;
using Grid.Grains.Hosting;
using Grid.Grains.Training;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace Grid.Tests.Support;

/// <summary>
/// Configures each test silo like GridSiloHost does (minus clustering, which TestCluster owns): device slots per
/// silo from GridTest:Slots:&lt;silo name&gt; (default GridTest:Slots, 1), the shared results root, a fast poll
/// (GridTest:PollMilliseconds, default 100), any Grid option under GridTest:Grid (e.g. GridTest:Grid:RetryLimit),
/// quick failure detection, and the recording trainer around the simulated or the real engine trainer (simulated: the
/// recording analyzer). GridTest:FakeCuda:&lt;silo name&gt; = N gives that silo N pretend CUDA devices (Device cuda:all)
/// for placement tests with the simulated trainer. GridTest:BundleMembers = K lets the simulated trainer bundle up to K.
/// <see cref="RunCalls"/> records the calls between run grains and their iteration and analysis grains.
/// </summary>
public sealed class GridTestSilo : ISiloConfigurator
{
    public void Configure(ISiloBuilder silo)
    {
        var configuration = silo.Configuration;
        string name = configuration["Orleans:Name"] ?? "silo"; // Primary, Secondary_1, ...
        int slots = int.Parse(configuration[$"GridTest:Slots:{name}"] ?? configuration["GridTest:Slots"] ?? "1");
        var grid = new GridOptions
        {
            ResultsRoot = configuration["GridTest:Results"] ?? throw new InvalidOperationException("GridTest:Results not set"),
            DeviceSlots = slots,
            PollMilliseconds = int.Parse(configuration["GridTest:PollMilliseconds"] ?? "100"),
            TorchThreads = 1,
            // In the idle scheduling class, analyses get almost no CPU while other processes keep every core busy (a
            // shared CI runner): sweeps would wait for them until the machine is quiet. At nice 10 training keeps its cores.
            AnalysisIdleClass = false,
        };
        configuration.GetSection("GridTest:Grid").Bind(grid); // any other Grid option a test sets (Device, RetryLimit, ...)
        if (configuration[$"GridTest:FakeCuda:{name}"] is { } fakeCuda)
        {
            grid.Device = "cuda:all";
            silo.AddGrid(grid, SlotPlan.Resolve(grid, cudaDevices: int.Parse(fakeCuda)));
        }
        else
        {
            silo.AddGrid(grid);
        }

        bool engine = configuration["GridTest:Trainer"] == "engine";
        silo.Services.AddSingleton<IIterationTrainer>(services =>
            new RecordingTrainer(name, engine ? new EngineIterationTrainer(services.GetRequiredService<IOptions<GridOptions>>()) : new SimulatedTrainer(int.Parse(configuration["GridTest:BundleMembers"] ?? "1"))));
        if (!engine)
        {
            silo.Services.AddSingleton<IIterationAnalyzer, RecordingAnalyzer>(); // simulated runs have no masks to analyse
        }

        silo.AddIncomingGrainCallFilter<RunCalls>();
        // A killed silo is declared dead after three missed 2 s probes: quick, yet a silo slowed down by a busy machine
        // is not declared dead by mistake.
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = TimeSpan.FromSeconds(2);
            o.NumMissedProbesLimit = 3;
            o.NumVotesForDeathDeclaration = 1;
            o.TableRefreshTimeout = TimeSpan.FromSeconds(1);
            o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(2);
        });
    }
}
