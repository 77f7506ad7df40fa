using System.Globalization;

namespace Grid.Tests.Shared;

/// <summary>The smallest real experiment: a 16x16 network on 2 % of Fashion-MNIST, 20 steps per iteration; it trains in
/// well under a second per iteration.</summary>
public static class TinyFashionSweep
{
    /// <param name="matrix">The matrix's axes, as YAML lines indented by two spaces (<see cref="Seeds"/>).</param>
    /// <param name="more">Appended as it is (an analysis list, more top-level fields).</param>
    public static string Yaml(string name, string matrix, string more = "", int maxIterations = 2, double stopRatio = 0.2) => $"""
        name: {name}
        base:
          dataset:
            name: fashion-mnist
            fraction: 0.02
            val_size: 200
          network:
            hidden: [16, 16]
          training:
            steps: 20
            batch_size: 32
            validate_every: 10
          pruning:
            rewind_step: 5
            max_iterations: {maxIterations}
            stop_ratio: {stopRatio.ToString(CultureInfo.InvariantCulture)}
        matrix:
        {matrix}
        {more}

        """;

    /// <summary>A matrix axis over the seeds (a YAML list such as "[0, 1]").</summary>
    public static string Seeds(string seeds) => $"  - field: seed\n    values: {seeds}";
}
