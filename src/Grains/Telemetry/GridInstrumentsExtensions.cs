using Grid.Grains.Analysis;
using Grid.Grains.Training;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;

namespace Grid.Grains.Telemetry;

public static class GridInstrumentsExtensions
{
    /// <summary>
    /// Instruments a grid silo (call after <c>AddGrid</c>): wraps the registered <see cref="IIterationTrainer"/> and
    /// <see cref="IIterationAnalyzer"/> in their instrumented decorators and publishes the silo's device slots to the
    /// gauges while it is active. Only records into the "Grid" meter; exporting is the host's business. Idempotent.
    /// </summary>
    public static ISiloBuilder AddGridInstruments(this ISiloBuilder silo)
    {
        var services = silo.Services;
        if (services.Any(d => d.ServiceType == typeof(GridInstrumentsMarker)))
        {
            return silo;
        }

        services.AddSingleton<GridInstrumentsMarker>();
        Decorate<IIterationTrainer>(services, (sp, inner) => new InstrumentedIterationTrainer(inner, SiloLabel(sp)));
        Decorate<IIterationAnalyzer>(services, (sp, inner) => new InstrumentedIterationAnalyzer(inner, SiloLabel(sp)));
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SlotGaugePublisher>();
        return silo;
    }

    /// <summary>The silo label: the silo's endpoint host:port (stable across restarts on the same address).</summary>
    public static string SiloLabel(IServiceProvider services) =>
        services.GetRequiredService<ILocalSiloDetails>().SiloAddress.Endpoint.ToString();

    /// <summary>Replaces the last (effective) registration of <typeparamref name="T"/> by a decorator around it.</summary>
    private static void Decorate<T>(IServiceCollection services, Func<IServiceProvider, T, T> decorate)
        where T : class
    {
        var original = services.LastOrDefault(d => d.ServiceType == typeof(T) && !d.IsKeyedService);
        if (original is null)
        {
            return;
        }

        services.RemoveAll<T>();
        services.Add(new ServiceDescriptor(typeof(T), sp => decorate(sp, Create<T>(sp, original)), original.Lifetime));
    }

    private static T Create<T>(IServiceProvider services, ServiceDescriptor descriptor)
        where T : class =>
        descriptor.ImplementationInstance as T
        ?? descriptor.ImplementationFactory?.Invoke(services) as T
        ?? (descriptor.ImplementationType is { } type ? (T)ActivatorUtilities.CreateInstance(services, type) : null)
        ?? throw new InvalidOperationException($"cannot create the {typeof(T).Name} registered as {descriptor}");

    private static void RemoveAll<T>(this IServiceCollection services)
    {
        for (int i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == typeof(T) && !services[i].IsKeyedService)
            {
                services.RemoveAt(i);
            }
        }
    }

    private sealed class GridInstrumentsMarker;
}

/// <summary>Registers this silo's device slots (its <see cref="TrainingWorker"/>) on the <see cref="SiloBoard"/> while it is active.</summary>
public sealed class SlotGaugePublisher(TrainingWorker worker, ILocalSiloDetails local) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SlotGaugePublisher), ServiceLifecycleStage.Active, OnStart, OnStop);

    private string Silo => local.SiloAddress.Endpoint.ToString();

    private Task OnStart(CancellationToken _)
    {
        GridMetrics.EnsureCreated();
        SiloBoard.Register(Silo, new WorkerSlots(worker));
        return Task.CompletedTask;
    }

    private Task OnStop(CancellationToken _)
    {
        SiloBoard.Unregister(Silo);
        return Task.CompletedTask;
    }

    private sealed class WorkerSlots(TrainingWorker worker) : ISlotSource
    {
        public IReadOnlyList<DeviceSlotCount> Devices =>
            [.. worker.SlotList.GroupBy(s => s.Device).Select(g => new DeviceSlotCount(g.Key, g.Count(), g.Count(s => s.IsBusy)))];

        public int Queued => worker.Queued;
    }
}
