using Grid.Client;
using Grid.Client.Specs;
using Grid.Engine.Sweeps;
using Grid.Tests.Cli;

namespace Grid.Tests.Specs;

/// <summary>Command-line overrides (`grid run spec.yaml training.steps=500 seed=0,1,2`) are checked like the file.</summary>
public sealed class OverrideTests : IDisposable
{
    private static readonly SweepCheckOptions NoFiles = new() { CheckDatasetFiles = false };

    private const string WithAxis = SpecFixtures.TinyBase + """
        matrix:
          - field: pruning.rate
            values: [0.2, 0.3]

        """;

    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static SweepFile Parse(string yaml, params string[] overrides) => SweepFile.Parse(yaml, "probe.yaml", NoFiles, overrides: overrides);

    private static IReadOnlyList<string> Errors(string yaml, params string[] overrides) => [.. Parse(yaml, overrides).Errors.Select(e => e.ToString())];

    [Fact]
    public void One_value_sets_the_field_and_a_comma_list_becomes_the_innermost_matrix_axis()
    {
        var file = Parse(WithAxis, "training.steps=20", "seed=0,1,2");

        Assert.True(file.IsValid, string.Join("\n", file.Errors));
        Assert.Equal(["pruning.rate", "seed"], file.Sweep.Axes.Select(a => a.Field));
        Assert.Equal(6, file.Runs.Count);
        Assert.All(file.Runs, r => Assert.Equal(20, r.Spec.Training.Steps));
        Assert.Equal([0L, 1, 2, 0, 1, 2], file.Runs.Select(r => r.Spec.Seed));
        Assert.Equal(["training.steps=20: base.training.steps", "seed=0,1,2: a new matrix axis seed (3 values)"], file.OverrideDescriptions);
    }

    [Fact]
    public void An_override_of_a_swept_field_replaces_the_values_of_its_axis()
    {
        var file = Parse(WithAxis, "pruning.rate=0.5");

        Assert.True(file.IsValid, string.Join("\n", file.Errors));
        Assert.Equal(0.5, Assert.Single(file.Runs).Spec.Pruning.Rate);
        Assert.Equal(["pruning.rate=0.5: replaces the values of matrix[0] (pruning.rate): 1 value"], file.OverrideDescriptions);
    }

    [Fact]
    public void Values_are_yaml_so_lists_mappings_and_quoted_strings_keep_their_commas()
    {
        var file = Parse(SpecFixtures.TinyBase, "network.hidden=[16,16],[32]", "training={optimizer: adam, learning_rate: 0.01}", "name='2024'");

        Assert.True(file.IsValid, string.Join("\n", file.Errors));
        Assert.Equal("2024", file.Sweep.Name);
        Assert.Equal([[16, 16], [32]], file.Runs.Select(r => r.Spec.Network.Hidden.ToArray()));
        Assert.All(file.Runs, r => Assert.Equal(("adam", 0.01, 10), (r.Spec.Training.Optimizer, r.Spec.Training.LearningRate, r.Spec.Training.Steps)));
    }

    [Fact]
    public void The_base_prefix_of_the_file_and_the_analysis_list_are_accepted()
    {
        var file = Parse(SpecFixtures.TinyBase, "base.seed=7", "analysis=curves,masks");

        Assert.True(file.IsValid, string.Join("\n", file.Errors));
        Assert.Equal(7, Assert.Single(file.Runs).Spec.Seed);
        Assert.Equal(["curves", "masks"], file.Sweep.Analysis);
    }

    [Theory]
    [InlineData("training.stepz=5", "(command line): unknown experiment field 'training.stepz' (did you mean 'training.steps'?) (set on the command line: training.stepz=5)")]
    [InlineData("training.steps=abc", "base.training.steps: expected an integer, got the string 'abc' (set on the command line: training.steps=abc)")]
    [InlineData("training.learning_rate=-1", "base.training.learning_rate: must be > 0, got -1 (set on the command line: training.learning_rate=-1)")]
    [InlineData("seed=0,1,-2", "matrix[0].values[2] (seed): must be >= 0, got -2 (set on the command line: seed=0,1,-2)")]
    [InlineData("seed=1,1", "matrix[0].values[1] (seed): duplicate of matrix[0].values[0] (1) (set on the command line: seed=1,1)")]
    [InlineData("training.steps=", "(command line): no value for training.steps (set on the command line: training.steps=)")]
    [InlineData("matrix=1", "(command line): 'matrix' cannot be overridden as a whole")]
    [InlineData("seed=[1", "(command line): not valid YAML")]
    public void A_bad_override_is_an_error_that_names_it(string given, string expected)
    {
        var errors = Errors(SpecFixtures.TinyBase, given);

        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Integers_with_leading_zeros_read_as_yaml_reads_them_in_the_file_and_on_the_command_line()
    {
        var file = Parse(SpecFixtures.TinyBase + "  seed: 007\n", "training.steps=0020");

        Assert.True(file.IsValid, string.Join("\n", file.Errors));
        Assert.Equal((7L, 20), (file.Runs[0].Spec.Seed, file.Runs[0].Spec.Training.Steps));
    }

    [Fact]
    public void A_field_given_twice_is_an_error()
    {
        Assert.Contains("(command line): seed is already set by seed=1 (set on the command line: base.seed=2)", Errors(SpecFixtures.TinyBase, "seed=1", "base.seed=2"));
    }

    [Fact]
    public void Errors_the_file_makes_still_name_their_line()
    {
        var errors = Errors(SpecFixtures.TinyBase + "  task: {labelz: random}\n", "seed=1");

        Assert.Equal(["base.task.labelz: unknown field (did you mean 'labels'?) (line 6)"], errors);
    }

    [Fact]
    public void The_stored_text_names_the_overrides_and_reads_back_to_the_same_sweep()
    {
        // Strings that need quoting in YAML (a comma, a number's digits) stay strings when read back.
        var file = Parse(WithAxis, "training.steps=20", "seed=0,1,2", "dataset.path=/data/x y", "task.mapping_file='1,2'", "name='007'");
        Assert.True(file.IsValid, string.Join("\n", file.Errors));

        string stored = file.StoredText;
        var again = SweepFile.Parse(stored, "sweep.yaml", NoFiles);

        Assert.StartsWith("# probe.yaml with the command-line overrides training.steps=20 seed=0,1,2 dataset.path=/data/x y task.mapping_file='1,2' name='007'", stored);
        Assert.True(again.IsValid, stored + string.Join("\n", again.Errors));
        Assert.Equal(file.Sweep.Hash(), again.Sweep.Hash());
        Assert.Equal(("007", "1,2"), (again.Sweep.Name, again.Runs[0].Spec.Task.MappingFile));
        Assert.Equal(SpecFixtures.TinyBase, Parse(SpecFixtures.TinyBase).StoredText);
    }

    [Fact]
    public async Task Dry_run_shows_the_overrides_and_their_runs()
    {
        string spec = _directory.Write("probe.yaml", SpecFixtures.TinyBase);

        var (code, output) = await CliTests.RunAsync("run", spec, "training.steps=20", "seed=0,1,2", "--dry-run", "--results", _directory.File("results"));

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("override training.steps=20: base.training.steps", output);
        Assert.Contains("override seed=0,1,2: a new matrix axis seed (3 values)", output);
        Assert.Contains("3 runs", output);
        Assert.False(Directory.Exists(_directory.File("results")));
    }

    [Fact]
    public async Task A_bad_override_exits_with_2_and_an_argument_that_is_no_override_is_refused()
    {
        string spec = _directory.Write("probe.yaml", SpecFixtures.TinyBase);

        var (code, output) = await CliTests.RunAsync("run", spec, "trainig.steps=20", "--dry-run");
        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("unknown experiment field 'trainig.steps' (did you mean 'training.steps'?)", output);

        (code, output) = await CliTests.RunAsync("run", spec, "steps", "--dry-run");
        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("'steps': after the sweep file only overrides are accepted", output);
    }
}
