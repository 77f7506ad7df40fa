using Grid.Client.Rendering;
using Grid.Silo;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Runtime;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Grid.Client.Commands;

/// <summary>
/// grid silo: the standalone silo (the same host as src/Silo: Orleans, /healthz, /metrics) in the foreground, set up by
/// options instead of environment variables. Ctrl-C (or SIGTERM) stops it gracefully: it hands its grains over and
/// leaves the cluster's membership as a silo that shut down, rather than one the others must declare dead.
/// </summary>
public sealed class SiloCommand(IAnsiConsole console) : AsyncCommand<SiloSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, SiloSettings settings, CancellationToken cancellationToken)
    {
        WebApplication app;
        try
        {
            app = GridSiloHost.Build([.. settings.ConfigurationArguments()]);
        }
        catch (ArgumentException error)
        {
            ErrorView.Problem(console, error.Message);
            return ExitCodes.InvalidInput;
        }

        await using (app)
        {
            await app.StartAsync(cancellationToken);
            var silo = app.Services.GetRequiredService<ILocalSiloDetails>();
            console.MarkupLine($"[green]silo {Format.Escape(silo.SiloAddress.ToParsableString())} is up[/]: gateway port {silo.GatewayAddress?.Endpoint.Port}, "
                + $"health and metrics at {Format.Escape(string.Join(", ", app.Urls))}. Ctrl-C leaves the cluster.");
            await app.WaitForShutdownAsync(cancellationToken);
            console.MarkupLine("[grey]silo stopped: it left the cluster.[/]");
        }

        return ExitCodes.Ok;
    }
}
