using Grid.Grains.Training;

namespace Grid.Grains.Placement;

/// <summary>
/// While the silo is active, reports its device slots to the slot board every two seconds and keeps the local
/// <see cref="SlotBoardCache"/> that placement reads. On stop, cancels the training jobs of this silo.
/// </summary>
public sealed class SlotBoardPublisher(
    IGrainFactory grains,
    TrainingWorker worker,
    SlotBoardCache cache,
    ILocalSiloDetails local,
    ILogger<SlotBoardPublisher> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(2);
    private CancellationTokenSource? _stop;
    private Task? _loop;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SlotBoardPublisher), ServiceLifecycleStage.Active, OnStart, OnStop);

    private Task OnStart(CancellationToken _)
    {
        _stop = new CancellationTokenSource();
        _loop = Task.Run(() => LoopAsync(_stop.Token));
        return Task.CompletedTask;
    }

    private async Task OnStop(CancellationToken cancellationToken)
    {
        worker.CancelAll();
        if (_stop is null || _loop is null)
        {
            return;
        }

        await _stop.CancelAsync();
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task LoopAsync(CancellationToken stop)
    {
        var boardGrain = grains.GetGrain<ISlotBoardGrain>(GrainKeys.Singleton);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var board = await boardGrain.Report(new SiloSlots
                {
                    Silo = local.SiloAddress.ToParsableString(),
                    Slots = worker.Slots,
                    Busy = worker.Busy,
                    Queued = worker.Queued,
                    Shapes = worker.ShapesToReport(),
                    Iterations = worker.HeldIterations(),
                    Device = worker.Device,
                    UpdatedAt = DateTimeOffset.UtcNow,
                }).WaitAsync(stop);
                cache.Update(board);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception error)
            {
                logger.LogDebug(error, "Could not report device slots; retrying");
            }

            try
            {
                await Task.Delay(Period, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }
}
