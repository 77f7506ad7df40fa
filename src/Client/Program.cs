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

return await GridApp.RunAsync(args, AnsiConsole.Console, interrupt.Token);
