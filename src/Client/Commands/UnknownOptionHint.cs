using System.Text.RegularExpressions;
using Grid.Engine.Sweeps;
using Spectre.Console.Cli;

namespace Grid.Client.Commands;

/// <summary>"did you mean" for an option Spectre's strict parsing rejected: the closest option of the command given.</summary>
public static partial class UnknownOptionHint
{
    [GeneratedRegex("^Unknown option '(?<name>[^']+)'")]
    private static partial Regex UnknownOption();

    /// <summary>E.g. "Did you mean --dry-run?" for `run ... --dryrun`; null when nothing is close or the error is another one.</summary>
    public static string? For(CommandParseException error, IReadOnlyList<string> args, IReadOnlyDictionary<string, Type> commands)
    {
        var match = UnknownOption().Match(error.Message);
        if (!match.Success)
        {
            return null;
        }

        string command = CommandOptions.CommandOf(args, commands);
        string name = match.Groups["name"].Value;
        var known = commands.TryGetValue(command, out var type) ? CommandOptions.Of(type) : [];
        // A one-letter option is as close to every other one-letter option: suggest only for long names.
        string? closest = name.Length > 1 ? Suggest.Closest(name, known.Where(o => o.StartsWith("--", StringComparison.Ordinal)).Select(o => o[2..])) : null;
        string help = commands.ContainsKey(command) ? $"grid {command} --help" : "grid --help";
        return closest is null
            ? $"`{help}` lists the options."
            : $"Did you mean --{closest}? (`{help}` lists the options.)";
    }
}
