using Grid.Analysis.Runs;
using Grid.Engine.Sweeps;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Grid.Client.Commands;

/// <summary>grid schema: the JSON schema of sweep files, generated from the spec records (as committed in schema/).</summary>
public sealed class SchemaCommand(IAnsiConsole console) : Command<EmptyCommandSettings>
{
    public override int Execute(CommandContext context, EmptyCommandSettings settings, CancellationToken cancellationToken)
    {
        // Written as is: no markup, no wrapping at the terminal's width.
        console.Profile.Out.Writer.Write(SweepSchema.Generate(IterationAnalyses.Names));
        console.Profile.Out.Writer.Flush();
        return ExitCodes.Ok;
    }
}
