using System.Reflection;
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

        // The command, or a command of a branch ("data fetch").
        var words = args.Where(a => !a.StartsWith('-')).Take(2).ToList();
        string command = words.Count == 2 && commands.ContainsKey($"{words[0]} {words[1]}") ? $"{words[0]} {words[1]}" : words.FirstOrDefault() ?? "";
        string name = match.Groups["name"].Value;
        var known = commands.TryGetValue(command, out var type) ? OptionsOf(type) : [];
        // A one-letter option is as close to every other one-letter option: suggest only for long names.
        string? closest = name.Length > 1 ? Suggest.Closest(name, known.Where(o => o.StartsWith("--", StringComparison.Ordinal)).Select(o => o[2..])) : null;
        string help = commands.ContainsKey(command) ? $"grid {command} --help" : "grid --help";
        return closest is null
            ? $"`{help}` lists the options."
            : $"Did you mean --{closest}? (`{help}` lists the options.)";
    }

    /// <summary>Every option of a command, as typed (--long and -s), from its settings class.</summary>
    public static IReadOnlyList<string> OptionsOf(Type commandType)
    {
        var settings = SettingsType(commandType);
        return settings is null ? [] :
        [
            .. settings.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Select(p => p.GetCustomAttribute<CommandOptionAttribute>())
                .OfType<CommandOptionAttribute>()
                .SelectMany(o => o.LongNames.Select(n => "--" + n).Concat(o.ShortNames.Select(n => "-" + n))),
        ];
    }

    private static Type? SettingsType(Type? type)
    {
        for (; type is not null; type = type.BaseType)
        {
            if (type.IsGenericType && type.GetGenericArguments() is [var settings] && typeof(CommandSettings).IsAssignableFrom(settings))
            {
                return settings;
            }
        }

        return null;
    }
}
