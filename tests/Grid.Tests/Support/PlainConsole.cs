using Spectre.Console;

namespace Grid.Tests.Support;

/// <summary>A console that writes plain text (no colours, no ANSI codes, no prompts) to a writer, at a fixed width.</summary>
public static class PlainConsole
{
    public static IAnsiConsole Create(TextWriter writer, int width)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = width;
        return console;
    }
}
