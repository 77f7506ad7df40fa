using Grid.Client.Specs;
using Grid.Engine.Specs;
using Grid.Engine.Sweeps;

namespace Grid.Tests.Specs;

public sealed class SweepExpansionTests
{
    private static SweepFile Valid(string yaml)
    {
        var file = SweepFile.Parse(yaml, options: new SweepCheckOptions { CheckDatasetFiles = false });
        Assert.True(file.IsValid, string.Join("\n", file.Errors));
        return file;
    }

    [Fact]
    public void The_matrix_expands_to_the_cartesian_product_first_axis_outermost()
    {
        var file = Valid("""
            name: grid
            base:
              training: {steps: 200, validate_every: 50}
              pruning: {rewind_step: 10}
            matrix:
              - field: dataset.fraction
                values: [1, 0.1]
              - field: task
                values: [{labels: original}, {labels: random, classes: 5}]
              - field: seed
                values: [0, 1, 2]
            analysis: [connectivity]
            """);

        Assert.Equal(12, file.Runs.Count);
        Assert.Equal(Enumerable.Range(1, 12), file.Runs.Select(r => r.Index));
        Assert.Equal(12, file.Runs.Select(r => r.Hash).Distinct().Count());
        var first = file.Runs[0].Spec;
        Assert.Equal((1.0, LabelModes.Original, 0L, 200), (first.Dataset.Fraction, first.Task.Labels, first.Seed, first.Training.Steps));
        var last = file.Runs[^1].Spec;
        Assert.Equal((0.1, LabelModes.Random, 5, 2L), (last.Dataset.Fraction, last.Task.Labels, last.Task.Classes, last.Seed));
        Assert.Equal(["0.1", "labels=random classes=5", "2"], file.Runs[^1].Values.Select(v => v.Display));
        Assert.Equal(["connectivity"], file.Sweep.Analysis);
        Assert.Equal(SpecJson.Hash(last), file.Runs[^1].Hash);
    }

    [Fact]
    public void Omitted_fields_take_the_defaults_and_no_matrix_is_one_run()
    {
        var file = Valid("name: defaults");

        var run = Assert.Single(file.Runs);
        Assert.Equal(SpecJson.Canonical(new ExperimentSpec()), SpecJson.Canonical(run.Spec));
        Assert.Empty(run.Values);
    }

    [Fact]
    public void The_sweep_hash_ignores_spelling_and_analysis_but_not_content()
    {
        string a = Valid("name: s\nbase: {training: {learning_rate: 0.1}}\nmatrix: [{field: dataset.fraction, values: [1, 0.5]}]").Sweep.Hash();
        string b = Valid("name: s\nbase:\n  training:\n    learning_rate: 1.0e-1\n    steps: 100_000\nmatrix:\n  - field: dataset.fraction\n    values: [1.0, 0.50]\nanalysis: [x]").Sweep.Hash();
        string c = Valid("name: s\nmatrix: [{field: dataset.fraction, values: [1, 0.25]}]").Sweep.Hash();
        string d = Valid("name: t\nmatrix: [{field: dataset.fraction, values: [1, 0.5]}]").Sweep.Hash();

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.NotEqual(a, d);
        Assert.Matches("^[0-9a-f]{16}$", a);
    }

    [Fact]
    public void A_canonical_sweep_compiles_back_to_the_same_runs()
    {
        var file = Valid(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "experiments", "fashion-sweep.yaml")));

        var again = SweepCompiler.Compile(System.Text.Json.Nodes.JsonNode.Parse(file.Sweep.Canonical()), new SweepCheckOptions { CheckDatasetFiles = false });

        Assert.True(again.IsValid);
        Assert.Equal(file.Sweep.Hash(), again.Sweep!.Hash());
        Assert.Equal(file.Runs.Select(r => r.Hash), again.Runs.Select(r => r.Hash));
    }

    [Fact]
    public void Yaml_scalars_are_typed_like_yaml_and_quoted_ones_stay_strings()
    {
        var yaml = YamlDocument.Parse("a: 1\nb: 1.5\nc: true\nd: ~\ne: '1'\nf: fashion-mnist\ng: 1_000\nh: -2e-3\ni: \"true\"\n");

        Assert.Empty(yaml.Errors);
        Assert.Equal("""{"a":1,"b":1.5,"c":true,"d":null,"e":"1","f":"fashion-mnist","g":1000,"h":-0.002,"i":"true"}""", yaml.Root!.ToJsonString());
        Assert.Equal(7, yaml.LineOf("g"));
    }

    [Fact]
    public void Too_large_a_matrix_is_refused_before_expansion()
    {
        var file = SweepFile.Parse("name: big\nmatrix:\n  - field: seed\n    values: [0, 1, 2, 3]\n  - field: dataset.val_size\n    values: [1, 2, 3]",
            options: new SweepCheckOptions { CheckDatasetFiles = false, MaxRuns = 10 });

        Assert.Contains(file.Errors, e => e.ToString().StartsWith("matrix: expands to 12 runs, more than the limit of 10", StringComparison.Ordinal));
    }
}
