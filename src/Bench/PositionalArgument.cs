namespace Grid.Bench;

/// <summary>The one argument without an option name that a benchmark command needs (e.g. engine-run's spec.json).</summary>
public sealed record PositionalArgument(string Name, string Help);
