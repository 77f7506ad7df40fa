using Grid.Grains.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Orleans.Hosting;

namespace Grid.Silo.Telemetry;

/// <summary>
/// Metrics of a silo: the "Grid" meter (<see cref="GridMetrics"/>), Orleans' own meter and the .NET runtime metrics,
/// served for Prometheus at GET /metrics on the silo's web host, and pushed over OTLP when an endpoint is configured
/// (Grid:Otlp:Endpoint, or the standard OTEL_EXPORTER_OTLP_ENDPOINT / OTEL_EXPORTER_OTLP_METRICS_ENDPOINT).
/// </summary>
public static class SiloTelemetry
{
    /// <summary>The meter Orleans publishes its System.Diagnostics.Metrics instruments under (orleans-* instruments).</summary>
    public const string OrleansMeterName = "Microsoft.Orleans";

    public const string ServiceName = "grid-silo";

    public const string MetricsPath = "/metrics";

    /// <summary>Records into the Grid meter from the grid's trainer, analyzer and device slots (call after AddGrid).</summary>
    public static ISiloBuilder AddGridTelemetry(this ISiloBuilder silo) => silo.AddGridInstruments();

    /// <summary>Adds the OpenTelemetry meter provider with the Prometheus exporter and, when configured, the OTLP exporter.</summary>
    public static WebApplicationBuilder AddGridTelemetry(this WebApplicationBuilder builder)
    {
        var otlp = OtlpSettings.Read(builder.Configuration);
        GridMetrics.EnsureCreated();
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName, serviceVersion: GridMetrics.Version))
            .WithMetrics(metrics =>
            {
                metrics
                    .AddMeter(GridMetrics.MeterName, OrleansMeterName)
                    .AddRuntimeInstrumentation()
                    .AddPrometheusExporter();
                if (otlp is not null)
                {
                    metrics.AddOtlpExporter((exporter, reader) =>
                    {
                        otlp.Apply(exporter);
                        reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = otlp.IntervalMilliseconds;
                    });
                }
            });
        return builder;
    }

    /// <summary>GET /metrics: the Prometheus text exposition of every meter above.</summary>
    public static IEndpointRouteBuilder MapGridMetrics(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPrometheusScrapingEndpoint(MetricsPath);
        return endpoints;
    }
}

/// <summary>
/// OTLP push settings. Grid:Otlp:Endpoint (e.g. http://otel-collector:4317) switches it on; Grid:Otlp:Protocol is
/// grpc (default) or http/protobuf; Grid:Otlp:IntervalMilliseconds (default 15000) is the export period. Without
/// Grid:Otlp:Endpoint, the standard OTEL_EXPORTER_OTLP_(METRICS_)ENDPOINT variables switch it on and the OpenTelemetry
/// SDK reads every OTEL_EXPORTER_OTLP_* variable itself.
/// </summary>
public sealed record OtlpSettings(Uri? Endpoint, OtlpExportProtocol? Protocol, int IntervalMilliseconds)
{
    public const string Section = "Grid:Otlp";

    public static OtlpSettings? Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        int interval = section.GetValue("IntervalMilliseconds", 15_000);
        if (interval < 1000)
        {
            throw new ArgumentException($"{Section}:IntervalMilliseconds must be >= 1000, got {interval}");
        }

        OtlpExportProtocol? protocol = section["Protocol"]?.Trim().ToLowerInvariant() switch
        {
            null or "" => null,
            "grpc" => OtlpExportProtocol.Grpc,
            "http/protobuf" or "http" => OtlpExportProtocol.HttpProtobuf,
            string other => throw new ArgumentException($"{Section}:Protocol '{other}' is not grpc or http/protobuf"),
        };

        if (section["Endpoint"] is { Length: > 0 } endpoint)
        {
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw new ArgumentException($"{Section}:Endpoint '{endpoint}' is not an http(s) URL");
            }

            return new OtlpSettings(uri, protocol, interval);
        }

        bool standard = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])
            || !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"]);
        return standard ? new OtlpSettings(null, protocol, interval) : null;
    }

    public void Apply(OtlpExporterOptions options)
    {
        if (Protocol is { } protocol)
        {
            options.Protocol = protocol;
        }

        if (Endpoint is { } endpoint)
        {
            // http/protobuf wants the signal path; a bare collector address gets /v1/metrics.
            options.Endpoint = options.Protocol == OtlpExportProtocol.HttpProtobuf && endpoint.AbsolutePath is "/" or ""
                ? new Uri(endpoint, "v1/metrics")
                : endpoint;
        }
    }
}
