using System.Reflection;
using Spectre.Console.Cli;

namespace Grid.Client.Commands;

/// <summary>The options of `grid`'s commands as typed (--long and -s), read from their settings classes.</summary>
public static class CommandOptions
{
    /// <summary>The command a command line names: a command, or a command of a branch ("data fetch"); "" when none.</summary>
    public static string CommandOf(IReadOnlyList<string> args, IReadOnlyDictionary<string, Type> commands)
    {
        var words = args.Where(a => !a.StartsWith('-')).Take(2).ToList();
        return words.Count == 2 && commands.ContainsKey($"{words[0]} {words[1]}") ? $"{words[0]} {words[1]}" : words.FirstOrDefault() ?? "";
    }

    /// <summary>Every option of a command; with <paramref name="valueRequired"/>, only those that take a value.</summary>
    public static IReadOnlyList<string> Of(Type commandType, bool valueRequired = false)
    {
        var settings = SettingsType(commandType);
        return settings is null ? [] :
        [
            .. settings.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Select(p => p.GetCustomAttribute<CommandOptionAttribute>())
                .OfType<CommandOptionAttribute>()
                .Where(o => !valueRequired || o is { ValueName: not null, ValueIsOptional: false })
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
