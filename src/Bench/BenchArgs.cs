namespace Grid.Bench;

/// <summary>
/// The command line of one benchmark command, checked against the command's declaration: every option known, every
/// value option given its value and that value readable (<see cref="OptionValues"/>), no option twice, no argument the
/// command does not take. The readers return the values as their declared kinds; reading an option the command does not
/// declare is a bug in the benchmark and throws <see cref="InvalidOperationException"/>.
/// </summary>
public sealed class BenchArgs
{
    private readonly BenchCommand command;
    private readonly Dictionary<string, string> values = [];
    private readonly HashSet<string> flags = [];

    private BenchArgs(BenchCommand command) => this.command = command;

    /// <summary>The positional argument, when the command takes one.</summary>
    public string? Argument { get; private set; }

    /// <summary>Checks <paramref name="args"/> (what follows the command's name) against <paramref name="command"/>.</summary>
    /// <exception cref="BenchArgumentException">The first problem found, naming the option or argument.</exception>
    public static BenchArgs Parse(BenchCommand command, IReadOnlyList<string> args)
    {
        var parsed = new BenchArgs(command);
        for (int i = 0; i < args.Count; i++)
        {
            string token = args[i];
            if (!token.StartsWith('-') || token == "-")
            {
                parsed.Add(token);
                continue;
            }

            var option = command.Option(token) ?? throw new BenchArgumentException($"unknown option {token} ({command.OptionNames})");
            if (parsed.values.ContainsKey(token) || parsed.flags.Contains(token))
            {
                throw new BenchArgumentException($"{token} is given twice");
            }

            if (!option.TakesValue)
            {
                parsed.flags.Add(token);
                continue;
            }

            if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                throw new BenchArgumentException($"{token} needs a value ({option.Label})");
            }

            OptionValues.Check(option, args[++i]);
            parsed.values[token] = args[i];
        }

        if (command.Argument is { } argument && parsed.Argument is null)
        {
            throw new BenchArgumentException($"missing <{argument.Name}>: {argument.Help}");
        }

        if (command.Options.FirstOrDefault(o => o.Needs is { } needed && parsed.IsGiven(o.Name) && !parsed.IsGiven(needed)) is { } alone)
        {
            throw new BenchArgumentException($"{alone.Name} applies only with {alone.Needs}");
        }

        return parsed;
    }

    public string? Text(string name) => Value(name, OptionKind.Text, OptionKind.Choice);

    public bool Flag(string name)
    {
        Declared(name, OptionKind.Flag);
        return flags.Contains(name);
    }

    public int? Int(string name) => Value(name, OptionKind.Integer) is { } text ? OptionValues.Integers(command.Option(name)!, text)[0] : null;

    public int Int(string name, int fallback) => Int(name) ?? fallback;

    public int[] Ints(string name, int[] fallback) => Value(name, OptionKind.Integers) is { } text ? OptionValues.Integers(command.Option(name)!, text) : fallback;

    public double? Double(string name) => Value(name, OptionKind.Density) is { } text ? OptionValues.Densities(command.Option(name)!, text)[0] : null;

    public double[] Doubles(string name, double[] fallback) => Value(name, OptionKind.Densities) is { } text ? OptionValues.Densities(command.Option(name)!, text) : fallback;

    /// <summary>The values of a <see cref="OptionKind.Choices"/> option.</summary>
    public string[] Texts(string name, string[] fallback) => Value(name, OptionKind.Choices) is { } text ? OptionValues.Choices(command.Option(name)!, text) : fallback;

    /// <summary>True when the command line gives the option (a value option with its value, or a flag).</summary>
    public bool IsGiven(string name) => values.ContainsKey(name) || flags.Contains(name);

    private void Add(string argument)
    {
        if (command.Argument is null || Argument is not null)
        {
            throw new BenchArgumentException($"unexpected argument '{argument}' ({(command.Argument is null ? $"{command.Name} takes no arguments" : $"{command.Name} takes one <{command.Argument.Name}>")})");
        }

        Argument = argument;
    }

    private string? Value(string name, params OptionKind[] kinds)
    {
        Declared(name, kinds);
        return values.GetValueOrDefault(name);
    }

    private void Declared(string name, params OptionKind[] kinds)
    {
        var option = command.Option(name) ?? throw new InvalidOperationException($"{command.Name} reads {name} but does not declare it");
        if (!kinds.Contains(option.Kind))
        {
            throw new InvalidOperationException($"{command.Name} reads {name} as {string.Join(" or ", kinds)} but declares it as {option.Kind}");
        }
    }
}
