using Grid.Analysis.Runs;
using Grid.Engine.Sweeps;
using Spectre.Console;
using Spectre.Console.Cli;
using Spectre.Console.Cli.Help;
using Spectre.Console.Rendering;

namespace Grid.Client.Rendering;

/// <summary>Spectre's help, with what a sweep file may name at the end of `grid --help` and `grid run --help`.</summary>
public sealed class GridHelpProvider(ICommandAppSettings settings) : HelpProvider(settings)
{
    public override IEnumerable<IRenderable> GetFooter(ICommandModel model, ICommandInfo? command)
    {
        foreach (var renderable in base.GetFooter(model, command))
        {
            yield return renderable;
        }

        if (command is null || command.Name == "run")
        {
            yield return new Markup(
                $"[yellow]ANALYSES[/] (a sweep's [blue]analysis[/] list; omitted: all that suit the dataset; [[{SweepDefinition.NoAnalyses}]]: training only):\n"
                + $"    {Markup.Escape(string.Join(", ", IterationAnalyses.Names))}\n"
                + "Every field of a sweep file, with its meaning, bounds and default: schema/sweep.schema.json (`grid schema`).\n");
        }
    }
}
