namespace Grid.Bench;

/// <summary>
/// A command line a benchmark refuses while it starts, past what its settings check (a device libtorch cannot use, a
/// spec file that is missing or not a run spec): the message names the option or argument and the reason.
/// </summary>
public sealed class BenchArgumentException(string message) : Exception(message);
