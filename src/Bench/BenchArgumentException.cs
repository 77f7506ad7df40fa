namespace Grid.Bench;

/// <summary>A command line the benchmark cannot run: the message names the option or argument and the reason.</summary>
public sealed class BenchArgumentException(string message) : Exception(message);
