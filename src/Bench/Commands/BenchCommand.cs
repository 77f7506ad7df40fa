using System.Reflection;
using Grid.Engine.Sweeps;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Grid.Bench.Commands;

/// <summary>
/// A benchmark command. Spectre's relaxed parsing (see <see cref="BenchApp"/>) leaves what the settings do not declare
/// as remaining arguments; they are refused here, before the benchmark runs, naming the first one.
/// </summary>
public abstract class BenchCommand<TSettings> : Command<TSettings>
    where TSettings : CommandSettings
{
    public override ValidationResult Validate(CommandContext context, TSettings settings)
    {
        if (context.Remaining.Parsed.FirstOrDefault() is { } unknown)
        {
            string? closest = Suggest.Closest(unknown.Key, Options());
            return ValidationResult.Error(closest is null ? $"unknown option {unknown.Key}" : $"unknown option {unknown.Key} (did you mean {closest}?)");
        }

        return context.Remaining.Raw.FirstOrDefault() is { } stray
            ? ValidationResult.Error($"unexpected argument '{stray}'")
            : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, TSettings settings, CancellationToken cancellationToken)
    {
        Run(settings);
        return 0;
    }

    protected abstract void Run(TSettings settings);

    /// <summary>The options the settings declare, as typed: <c>--steps</c>, <c>-u</c>.</summary>
    private static IEnumerable<string> Options() =>
        typeof(TSettings).GetProperties()
            .Select(p => p.GetCustomAttribute<CommandOptionAttribute>())
            .OfType<CommandOptionAttribute>()
            .SelectMany(o => o.LongNames.Select(n => "--" + n).Concat(o.ShortNames.Select(n => "-" + n)));
}
