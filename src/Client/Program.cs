using System.Runtime.InteropServices;
using Grid.Client;
using Spectre.Console;

using var interrupt = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    if (!interrupt.IsCancellationRequested)
    {
        // First Ctrl-C: let the command stop cleanly; a second one ends the process.
        e.Cancel = true;
        interrupt.Cancel();
    }
};

// `kill` (SIGTERM, also what Kubernetes sends) stops like Ctrl-C: the embedded silo's host would otherwise swallow it.
// Like Ctrl-C, a second one ends the process at once, should the first find nothing that stops on cancellation.
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    if (!interrupt.IsCancellationRequested)
    {
        context.Cancel = true;
        interrupt.Cancel();
    }
});

// COLUMNS, the POSIX width of a terminal, when set: output to a file or pipe otherwise wraps at 80 columns, cutting paths.
var console = AnsiConsole.Console;
if (int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out int columns) && columns > 0)
{
    console.Profile.Width = columns;
}

return await GridApp.RunAsync(args, console, interrupt.Token);
