namespace Grid.Bench;

/// <summary>
/// One option of a benchmark command: its name, what it takes (<see cref="OptionKind"/>), the placeholder of its value
/// and the line of help the command's usage shows for it.
/// </summary>
public sealed record BenchOption(string Name, OptionKind Kind, string Value, string Help)
{
    /// <summary>The smallest value an <see cref="OptionKind.Integer"/> or <see cref="OptionKind.Integers"/> option takes.</summary>
    public int Minimum { get; init; } = 1;

    /// <summary>What a <see cref="OptionKind.Choice"/> or <see cref="OptionKind.Choices"/> option takes.</summary>
    public IReadOnlyList<string> Allowed { get; init; } = [];

    /// <summary>Another option without which this one would be ignored, so giving it alone is refused.</summary>
    public string? Needs { get; init; }

    public bool TakesValue => Kind != OptionKind.Flag;

    /// <summary>The option as the usage shows it: <c>--steps N</c>, <c>--only paper|fashion</c>, <c>--forever</c>.</summary>
    public string Label => TakesValue ? $"{Name} {Value}" : Name;

    public static BenchOption Flag(string name, string help) => new(name, OptionKind.Flag, "", help);

    public static BenchOption Text(string name, string value, string help) => new(name, OptionKind.Text, value, help);

    public static BenchOption Integer(string name, string value, string help, int minimum = 1) =>
        new(name, OptionKind.Integer, value, help) { Minimum = minimum };

    public static BenchOption Integers(string name, string value, string help, int minimum = 1) =>
        new(name, OptionKind.Integers, value, help) { Minimum = minimum };

    public static BenchOption Density(string name, string help) => new(name, OptionKind.Density, "U", help);

    public static BenchOption Densities(string name, string help) => new(name, OptionKind.Densities, "U,U,...", help);

    public static BenchOption Choice(string name, string[] allowed, string help) =>
        new(name, OptionKind.Choice, string.Join('|', allowed), help) { Allowed = allowed };

    public static BenchOption Choices(string name, string[] allowed, string help) =>
        new(name, OptionKind.Choices, string.Join(',', allowed), help) { Allowed = allowed };
}
