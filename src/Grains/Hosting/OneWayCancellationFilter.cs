using Orleans.Concurrency;

namespace Grid.Grains.Hosting;

/// <summary>
/// What a silo does with a one-way call ([OneWay] methods: a run's, an iteration's or an analysis's report) that ends in
/// a cancellation. A one-way call has no caller to hand an exception to, so Orleans logs one as an error with its stack
/// trace, which `grid run` prints on stderr. A grain call cancelled under the handler means the silo is stopping (Orleans
/// cancels the calls in flight), and a report's work is repeated by the grains' timers anyway; so the cancellation is
/// logged at Information and not thrown. Every other exception, and every exception of a two-way call, goes on as before.
/// </summary>
public sealed class OneWayCancellationFilter(ILogger<OneWayCancellationFilter> logger) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (OperationCanceledException error) when (context.InterfaceMethod?.IsDefined(typeof(OneWayAttribute), inherit: false) == true)
        {
            logger.LogInformation("{Interface}.{Method} of {Grain} was not handled to the end: {Reason} (the silo is stopping)",
                context.InterfaceName, context.MethodName, context.TargetId, error.Message);
        }
    }
}
