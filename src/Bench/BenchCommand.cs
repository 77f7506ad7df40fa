namespace Grid.Bench;

/// <summary>
/// A benchmark command: its name, its one-line purpose, everything its command line may hold (options, flags, a
/// positional argument) and what runs it. The command line is checked against it (<see cref="BenchArgs.Parse"/>) before
/// anything runs, and its usage is written from it.
/// </summary>
public sealed record BenchCommand(string Name, string Purpose, Action<BenchArgs> Run)
{
    public const string Invocation = "dotnet run -c Release --project src/Bench --";

    public IReadOnlyList<BenchOption> Options { get; init; } = [];

    /// <summary>The positional argument the command needs, or null when it takes none.</summary>
    public PositionalArgument? Argument { get; init; }

    public BenchOption? Option(string name) => Options.FirstOrDefault(o => o.Name == name);

    /// <summary>The option names as a list for messages: <c>--steps, --iterations, ...</c>.</summary>
    public string OptionNames => Options.Count == 0 ? $"{Name} takes no options" : "options: " + string.Join(", ", Options.Select(o => o.Name));

    /// <summary>The usage: the purpose line (for help, not after an error), the synopsis, and a line per option.</summary>
    public void WriteUsage(TextWriter writer, bool withPurpose)
    {
        if (withPurpose)
        {
            writer.WriteLine($"{Name}: {Purpose}");
        }

        string synopsis = Argument is { } argument ? $"<{argument.Name}>" : Options.Count > 0 ? "[options]" : "";
        writer.WriteLine($"usage: {Invocation} {Name} {synopsis}".TrimEnd());
        var lines = Options.Select(o => (o.Label, o.Needs is null ? o.Help : $"{o.Help}; only with {o.Needs}")).ToList();
        if (Argument is { } positional)
        {
            lines.Insert(0, (positional.Name, positional.Help));
        }

        if (lines.Count > 0)
        {
            writer.WriteLine(Argument is null ? "options:" : "arguments:");
            int width = lines.Max(l => l.Item1.Length);
            foreach (var (label, help) in lines)
            {
                writer.WriteLine($"  {label.PadRight(width)}  {help}");
            }
        }
    }
}
