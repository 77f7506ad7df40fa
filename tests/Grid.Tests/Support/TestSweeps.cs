namespace Grid.Tests.Support;

/// <summary>Sweep files used by the tests.</summary>
public static class TestSweeps
{
    /// <summary>A simulated sweep: each iteration takes <paramref name="millisecondsPerIteration"/>; every run has
    /// <paramref name="iterations"/> iterations (max_iterations = iterations - 1, as iteration 0 is the dense one).</summary>
    public static string Simulated(string name, int iterations = 3, int millisecondsPerIteration = 100, string seeds = "[0, 1]", string fractions = "[1, 0.5]") => $"""
        name: {name}
        base:
          network:
            hidden: [16, 16]
          training:
            steps: {millisecondsPerIteration}
            validate_every: 10
          pruning:
            rewind_step: 5
            max_iterations: {iterations - 1}
        matrix:
          - field: seed
            values: {seeds}
          - field: dataset.fraction
            values: {fractions}
        """;

    /// <summary>The smallest real experiment (<see cref="TinyFashionSweep"/>) over <paramref name="seeds"/>;
    /// <paramref name="more"/> is appended as it is (more matrix axes, an analysis list).</summary>
    public static string Tiny(string name, string seeds = "[0, 1]", int maxIterations = 2, double stopRatio = 0.2, string more = "") =>
        TinyFashionSweep.Yaml(name, TinyFashionSweep.Seeds(seeds), more, maxIterations, stopRatio);

    /// <summary><see cref="Tiny"/> to <paramref name="maxIterations"/>, training only (no analyses).</summary>
    public static string TinyTrainingOnly(string name, string seeds, int maxIterations) =>
        Tiny(name, seeds, maxIterations, more: "analysis: [none]");
}
