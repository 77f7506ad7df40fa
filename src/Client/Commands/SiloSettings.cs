using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Grid.Client.Commands;

/// <summary>Options of `grid silo`: each sets one Grid:* setting of the silo (above appsettings.json and the environment).</summary>
public sealed class SiloSettings : CommandSettings
{
    [CommandOption("--redis <HOST:PORT>")]
    [Description("Join the cluster whose membership, grain state and reminders live in this Redis (Grid:Clustering=redis). Without it: Grid:Clustering of the environment, by default a one-machine silo (localhost clustering) that `grid run --gateway localhost:30000` can use.")]
    public string? Redis { get; init; }

    [CommandOption("--devices <DEVICES>")]
    [Description("Training devices (Grid:Device): cpu, cuda, cuda:N, cuda:all, auto or a comma-separated list (default: $GRID_DEVICE or cpu).")]
    public string? Devices { get; init; }

    [CommandOption("--slots <N>")]
    [Description("Iterations trained at once on each device (Grid:DeviceSlots); 0: this silo never trains (default: $GRID_DEVICESLOTS, else one per CPU core, sharing the cores, and one per CUDA device).")]
    public string? SlotsText { get; init; }

    [CommandOption("-r|--results <DIR>")]
    [Description("Results store (Grid:ResultsRoot); every silo of a cluster must see the same one (a shared directory). Default: $GRID_RESULTSROOT or ./results.")]
    public string? Results { get; init; }

    [CommandOption("--port <PORT>")]
    [Description("Silo-to-silo port (Grid:SiloPort, default 11111).")]
    public string? SiloPortText { get; init; }

    [CommandOption("--gateway-port <PORT>")]
    [Description("Port clients (`grid ... --gateway`) connect to (Grid:GatewayPort, default 30000).")]
    public string? GatewayPortText { get; init; }

    [CommandOption("--http-port <PORT>")]
    [Description("Port of GET /healthz and /metrics (default 8080).")]
    public string? HttpPortText { get; init; }

    [CommandOption("--advertise <ADDRESS>")]
    [Description("With --redis: the address other machines reach this one at (Grid:AdvertisedAddress; default: this machine's first non-loopback address).")]
    public string? Advertise { get; init; }

    public override ValidationResult Validate()
    {
        foreach (var (option, text, minimum) in new[] { ("--slots", SlotsText, 0), ("--port", SiloPortText, 1), ("--gateway-port", GatewayPortText, 1), ("--http-port", HttpPortText, 1) })
        {
            bool slots = option == "--slots";
            if (text is not null && !(Number(text) is { } value && value >= minimum && (slots || value <= 65535)))
            {
                return ValidationResult.Error(slots ? $"--slots '{text}': expected a whole number, 0 or more" : $"{option} '{text}': expected a TCP port, 1 to 65535");
            }
        }

        if (Advertise is not null && Redis is null)
        {
            return ValidationResult.Error("--advertise is the address other machines reach this silo at: it needs --redis (a one-machine silo is reached on localhost)");
        }

        return ValidationResult.Success();
    }

    /// <summary>The silo's configuration from these options, as command-line settings (--Grid:Key=value), which take
    /// precedence over appsettings.json and the environment.</summary>
    public IReadOnlyList<string> ConfigurationArguments()
    {
        var settings = new List<(string Key, string? Value)>
        {
            ("Grid:Device", Devices),
            ("Grid:DeviceSlots", SlotsText),
            ("Grid:ResultsRoot", Results),
            ("Grid:SiloPort", SiloPortText),
            ("Grid:GatewayPort", GatewayPortText),
        };
        if (Redis is not null)
        {
            settings.Add(("Grid:Clustering", "redis"));
            settings.Add(("Grid:RedisConnectionString", Redis));
            settings.Add(("Grid:AdvertisedAddress", Advertise));
            // Clients and Prometheus are on other machines: listen on every interface.
            settings.Add(("Grid:GatewayListenAddress", "0.0.0.0"));
            settings.Add(("Urls", $"http://0.0.0.0:{HttpPortText ?? "8080"}"));
        }
        else
        {
            settings.Add(("Urls", HttpPortText is null ? null : $"http://127.0.0.1:{HttpPortText}"));
        }

        return [.. settings.Where(s => s.Value is not null).Select(s => $"--{s.Key}={s.Value}")];
    }

    private static int? Number(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) ? value : null;
}
