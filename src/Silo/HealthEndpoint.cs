using Grid.Grains.Training;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace Grid.Silo;

public static class HealthEndpoint
{
    /// <summary>GET /healthz: 200 with the silo's device slots while the silo is active, 503 otherwise.</summary>
    public static IEndpointRouteBuilder MapHealthEndpoint(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", (IServiceProvider services) =>
        {
            var oracle = services.GetRequiredService<ISiloStatusOracle>();
            var worker = services.GetRequiredService<TrainingWorker>();
            var body = new
            {
                status = oracle.CurrentStatus == SiloStatus.Active ? "ok" : oracle.CurrentStatus.ToString().ToLowerInvariant(),
                silo = oracle.SiloAddress.ToParsableString(),
                device = worker.Device,
                slots = worker.Slots,
                busy = worker.Busy,
                queued = worker.Queued,
            };
            return oracle.CurrentStatus == SiloStatus.Active ? Results.Ok(body) : Results.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
        });
        return endpoints;
    }
}
