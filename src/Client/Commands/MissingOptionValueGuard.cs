using System.Collections;
using System.Reflection;
using Spectre.Console.Cli;

namespace Grid.Client.Commands;

/// <summary>
/// Refuses an option given without its value before any command runs. Spectre.Console.Cli 0.57.2 with strict parsing
/// binds an option that ends the command line without its value (`grid list --results`) to the name of its internal
/// default command, <c>__default_command</c>, instead of reporting it: `grid run x.yaml --results` wrote its sweep into
/// ./__default_command.
/// </summary>
public sealed class MissingOptionValueGuard : ICommandInterceptor
{
    private const string Unbound = "__default_command";

    public void Intercept(CommandContext context, CommandSettings settings)
    {
        foreach (var property in settings.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<CommandOptionAttribute>() is { } option && IsUnbound(property.GetValue(settings)))
            {
                string name = option.LongNames.Count > 0 ? $"--{option.LongNames[0]}" : $"-{option.ShortNames[0]}";
                throw new MissingOptionValueException($"{name}: no value given (`grid {context.Name} --help` lists the options)");
            }
        }
    }

    public void InterceptResult(CommandContext context, CommandSettings settings, ref int result)
    {
    }

    private static bool IsUnbound(object? value) => value switch
    {
        string text => text == Unbound,
        IEnumerable values => values.OfType<string>().Contains(Unbound, StringComparer.Ordinal),
        _ => false,
    };
}

/// <summary>An option of the command line without its value.</summary>
public sealed class MissingOptionValueException(string message) : Exception(message);
