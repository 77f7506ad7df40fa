using System.Globalization;
using Grid.Grains.Analysis;
using Grid.Grains.Placement;
using Grid.Grains.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Hosting;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace Grid.Grains.Hosting;

public static class GridSiloBuilderExtensions
{
    /// <summary>
    /// Adds the grid's grains and services to a silo: options, the device-slot worker, the device-slot placement
    /// director, silo metadata announcing the slot count, the slot board publisher, the one-way call filter
    /// (<see cref="OneWayCancellationFilter"/>), the engine's trainer and the
    /// analysis registry (replaceable: register another <see cref="IIterationTrainer"/> or <see cref="IIterationAnalyzer"/>,
    /// e.g. <see cref="NoOpIterationAnalyzer"/>).
    /// Clustering, endpoints and storage are the host's business.
    /// </summary>
    /// <param name="plan">the slots' devices; default: resolved from <paramref name="grid"/> and the host's CUDA devices</param>
    public static ISiloBuilder AddGrid(this ISiloBuilder silo, GridOptions grid, SlotPlan? plan = null)
    {
        plan ??= SlotPlan.Resolve(grid);
        silo.UseSiloMetadata(new Dictionary<string, string>
        {
            [SlotMetadata.DeviceSlotsKey] = plan.Slots.ToString(CultureInfo.InvariantCulture),
            [SlotMetadata.DeviceKey] = plan.Summary,
        });
        silo.Services.AddSingleton(Options.Create(grid));
        silo.Services.AddSingleton(plan);
        silo.Services.TryAddSingleton<IIterationTrainer, EngineIterationTrainer>();
        silo.Services.TryAddSingleton<IIterationAnalyzer, RegistryIterationAnalyzer>();
        silo.Services.AddSingleton<AnalysisThreads>();
        silo.Services.AddSingleton<TrainingWorker>();
        silo.Services.AddSingleton<SlotBoardCache>();
        silo.Services.AddSingleton<SlotBoardPublisher>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<SlotBoardPublisher>());
        silo.Services.AddPlacementDirector<DeviceSlotPlacement, DeviceSlotPlacementDirector>();
        silo.AddIncomingGrainCallFilter<OneWayCancellationFilter>();
        return silo;
    }
}
