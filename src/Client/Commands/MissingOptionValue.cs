namespace Grid.Client.Commands;

/// <summary>
/// An option that takes a value given without one: at the end of the command line, or followed by another option.
/// Checked before Spectre.Console.Cli parses: with strict parsing, 0.57.2 binds such an option to the name of its
/// internal default command, "__default_command", instead of reporting it (`grid run x.yaml --results` trained into
/// ./__default_command), and a settings class's own checks then quoted that name.
/// </summary>
public static class MissingOptionValue
{
    /// <summary>"--results: no value given (...)" for the first such option; null when there is none.</summary>
    public static string? In(IReadOnlyList<string> args, IReadOnlyDictionary<string, Type> commands)
    {
        string command = CommandOptions.CommandOf(args, commands);
        if (!commands.TryGetValue(command, out var type))
        {
            return null;
        }

        var takingValues = CommandOptions.Of(type, valueRequired: true);
        var options = CommandOptions.Of(type);
        for (int i = 0; i < args.Count; i++)
        {
            if (takingValues.Contains(args[i]) && (i + 1 == args.Count || options.Contains(args[i + 1])))
            {
                return $"{args[i]}: no value given (`grid {command} --help` lists the options)";
            }
        }

        return null;
    }
}
