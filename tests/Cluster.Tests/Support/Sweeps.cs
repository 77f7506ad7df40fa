namespace Grid.Cluster.Tests.Support;

/// <summary>Small real sweeps on Fashion-MNIST (/usr/share/datasets/fashion-mnist): a few seconds per iteration, training only.</summary>
public static class Sweeps
{
    /// <param name="seeds">One run per seed.</param>
    /// <param name="maxIterations">Pruning iterations after the dense one (rate 0.5: u = 1, 0.5, 0.25, ...).</param>
    /// <param name="bundle">training.bundle (at most this many iterations of one shape train as one bundle); the spec's
    /// default when null.</param>
    public static string Small(string name, string seeds, int maxIterations, int steps = 400, int? bundle = null) => $"""
        name: {name}
        base:
          dataset:
            name: fashion-mnist
            fraction: 0.2
          network:
            hidden: [64, 64, 64]
          training:
            batch_size: 100
            steps: {steps}
            validate_every: 100{(bundle is { } k ? $"\n    bundle: {k}" : "")}
          pruning:
            rate: 0.5
            rewind_step: 10
            max_iterations: {maxIterations}
        matrix:
          - field: seed
            values: {seeds}
        analysis: [none]
        """;
}
