using Grid.Silo.Telemetry;
using Microsoft.Extensions.Configuration;
using OpenTelemetry.Exporter;

namespace Grid.Observability.Tests;

/// <summary>When the silo pushes OTLP, and where to.</summary>
public sealed class OtlpSettingsTests
{
    [Fact]
    public void Otlp_is_off_unless_an_endpoint_is_configured()
    {
        Assert.Null(OtlpSettings.Read(Configuration()));
        Assert.Null(OtlpSettings.Read(Configuration(("Grid:Otlp:Protocol", "grpc"))));
    }

    [Fact]
    public void Grid_otlp_endpoint_switches_it_on_with_protocol_and_interval()
    {
        var settings = OtlpSettings.Read(Configuration(
            ("Grid:Otlp:Endpoint", "http://collector:4318"), ("Grid:Otlp:Protocol", "http/protobuf"), ("Grid:Otlp:IntervalMilliseconds", "5000")));
        Assert.NotNull(settings);
        Assert.Equal(5000, settings.IntervalMilliseconds);
        var options = new OtlpExporterOptions();
        settings.Apply(options);
        Assert.Equal(OtlpExportProtocol.HttpProtobuf, options.Protocol);
        Assert.Equal(new Uri("http://collector:4318/v1/metrics"), options.Endpoint);

        var grpc = new OtlpExporterOptions();
        OtlpSettings.Read(Configuration(("Grid:Otlp:Endpoint", "http://collector:4317")))!.Apply(grpc);
        Assert.Equal(new Uri("http://collector:4317"), grpc.Endpoint);
    }

    [Fact]
    public void The_standard_otel_variables_switch_it_on_and_the_sdk_reads_them()
    {
        var settings = OtlpSettings.Read(Configuration(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317")));
        Assert.NotNull(settings);
        Assert.Null(settings.Endpoint);
        Assert.Equal(15_000, settings.IntervalMilliseconds);
    }

    [Theory]
    [InlineData("Grid:Otlp:Endpoint", "collector:4317")]
    [InlineData("Grid:Otlp:Protocol", "udp")]
    [InlineData("Grid:Otlp:IntervalMilliseconds", "10")]
    public void Bad_settings_name_the_key(string key, string value)
    {
        var configuration = Configuration(("Grid:Otlp:Endpoint", "http://collector:4317"), (key, value));
        var error = Assert.Throws<ArgumentException>(() => OtlpSettings.Read(configuration));
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values
            .GroupBy(v => v.Key, StringComparer.OrdinalIgnoreCase) // a later value of a key wins
            .Select(g => new KeyValuePair<string, string?>(g.Key, g.Last().Value))).Build();
}
