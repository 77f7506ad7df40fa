using Spectre.Console;
using Spectre.Console.Cli;

namespace Grid.Analysis.Tests.BenchConsole;

/// <summary>
/// Takes a benchmark command's place in the tests: Spectre parses, binds and validates the command line as it does for
/// the real command (whose own <c>Validate</c> this calls), and this records the settings the benchmark would have run
/// with instead of running it.
/// </summary>
public sealed class RecordingCommand(ICommand command) : ICommand
{
    public CommandSettings? Settings { get; private set; }

    public ValidationResult Validate(CommandContext context, CommandSettings settings) => command.Validate(context, settings);

    public Task<int> ExecuteAsync(CommandContext context, CommandSettings settings, CancellationToken cancellationToken)
    {
        Settings = settings;
        return Task.FromResult(0);
    }
}
