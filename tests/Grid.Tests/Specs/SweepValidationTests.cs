using Grid.Client.Specs;
using Grid.Engine.Sweeps;

namespace Grid.Tests.Specs;

/// <summary>Sweep files are checked completely before anything starts; every error names its path.</summary>
public sealed class SweepValidationTests
{
    private static SweepFile Check(string yaml) => SweepFile.Parse(yaml, options: new SweepCheckOptions { CheckDatasetFiles = false });

    private static IReadOnlyList<string> Errors(string yaml) => [.. Check(yaml).Errors.Select(e => e.ToString())];

    [Theory]
    [InlineData("base:\n  training:\n    stepz: 10", "base.training.stepz: unknown field (did you mean 'steps'?)")]
    [InlineData("base:\n  trainig: {}", "base.trainig: unknown field (did you mean 'training'?)")]
    [InlineData("base:\n  training:\n    steps: ten", "base.training.steps: expected an integer, got the string 'ten'")]
    [InlineData("base:\n  training:\n    steps: 1.5", "base.training.steps: expected an integer, got the number 1.5")]
    [InlineData("base:\n  training:\n    steps: \"100\"", "base.training.steps: expected an integer, got the string '100'")]
    [InlineData("base:\n  training:\n    steps: 0", "base.training.steps: must be > 0, got 0")]
    [InlineData("base:\n  training:\n    learning_rate: 0", "base.training.learning_rate: must be > 0, got 0")]
    [InlineData("base:\n  training:\n    batch_size: -3", "base.training.batch_size: must be > 0, got -3")]
    [InlineData("base:\n  training:\n    optimizer: sgdd", "base.training.optimizer: unknown value 'sgdd', expected one of: sgd, adam (did you mean 'sgd'?)")]
    [InlineData("base:\n  training:\n    steps: 50\n    validate_every: 60", "base.training.validate_every: must be <= training.steps (50), got 60")]
    [InlineData("base:\n  training:\n    bn_decay: 1", "base.training.bn_decay: must be in (0, 1), got 1")]
    [InlineData("base:\n  dataset:\n    fraction: 0", "base.dataset.fraction: must be in (0, 1], got 0")]
    [InlineData("base:\n  dataset:\n    fraction: 1.5", "base.dataset.fraction: must be in (0, 1], got 1.5")]
    [InlineData("base:\n  dataset:\n    name: imagenet", "base.dataset.name: unknown value 'imagenet'")]
    [InlineData("base:\n  dataset:\n    val_size: 0", "base.dataset.val_size: must be > 0, got 0")]
    [InlineData("base:\n  dataset:\n    downsample: 0", "base.dataset.downsample: must be >= 1, got 0")]
    [InlineData("base:\n  dataset:\n    downsample: 3", "base.dataset.downsample: 3 does not divide the 28x28 images of fashion-mnist")]
    [InlineData("base:\n  dataset:\n    name: imagenet64\n    downsample: 3", "base.dataset.downsample: 3 does not divide the 64x64 images of imagenet64")]
    [InlineData("base:\n  network:\n    hidden: []", "base.network.hidden: must list at least one hidden layer width")]
    [InlineData("base:\n  network:\n    hidden: [64, 0]", "base.network.hidden[1]: must be > 0, got 0")]
    [InlineData("base:\n  network:\n    hidden: 64", "base.network.hidden: expected a list of integers, got the number 64")]
    [InlineData("base:\n  network:\n    hidden: [8, 8]\n    prune: [true, false]", "base.network.prune: needs one flag per linear layer: 3 (hidden layers + output), got 2")]
    [InlineData("base:\n  pruning:\n    method: snipp", "base.pruning.method: unknown value 'snipp'")]
    [InlineData("base:\n  pruning:\n    rate: 1", "base.pruning.rate: must be in (0, 1), got 1")]
    [InlineData("base:\n  pruning:\n    rewind_step: 100\n  training:\n    steps: 100", "base.pruning.rewind_step: must be < training.steps (100), got 100")]
    [InlineData("base:\n  pruning:\n    rewind_step: -1", "base.pruning.rewind_step: must be >= 0, got -1")]
    [InlineData("base:\n  pruning:\n    stop_ratio: 1", "base.pruning.stop_ratio: must be in [0, 1), got 1")]
    [InlineData("base:\n  pruning:\n    max_iterations: 0", "base.pruning.max_iterations: must be > 0, got 0")]
    [InlineData("base:\n  pruning:\n    target_density: 0", "base.pruning.target_density: must be in (0, 1], got 0")]
    [InlineData("base:\n  task:\n    labels: random", "base.task.classes: is required when task.labels is 'random'")]
    [InlineData("base:\n  task:\n    labels: random\n    classes: 1", "base.task.classes: must be >= 2, got 1")]
    [InlineData("base:\n  task:\n    labels: semantic\n    classes: 5", "base.task.mapping_file: is required when task.labels is 'semantic'")]
    [InlineData("base:\n  task:\n    labels: randomm", "base.task.labels: unknown value 'randomm'")]
    [InlineData("base:\n  task:\n    translate: yes", "base.task.translate: expected true or false, got the string 'yes'")]
    [InlineData("base:\n  seed: -1", "base.seed: must be >= 0, got -1")]
    [InlineData("base: 3", "base: expected a mapping, got the number 3")]
    public void Base_errors_name_the_field(string body, string expected)
    {
        var errors = Errors("name: t\n" + body);

        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("matrix:\n  - field: training.learning_rate\n    values: [0.1, -1]", "matrix[0].values[1] (training.learning_rate): must be > 0, got -1")]
    [InlineData("matrix:\n  - field: dataset.downsample\n    values: [1, 5]", "matrix[0].values[1] (dataset.downsample): 5 does not divide the 28x28 images of fashion-mnist")]
    [InlineData("matrix:\n  - field: training.stepz\n    values: [1]", "matrix[0].field: unknown experiment field 'training.stepz' (did you mean 'training.steps'?)")]
    [InlineData("matrix:\n  - field: seed\n    values: []", "matrix[0].values: must list at least one value")]
    [InlineData("matrix:\n  - field: seed", "matrix[0].values: is required")]
    [InlineData("matrix:\n  - values: [1]", "matrix[0].field: is required")]
    [InlineData("matrix:\n  - field: seed\n    values: [1]\n    vals: [2]", "matrix[0].vals: unknown field (did you mean 'values'?)")]
    [InlineData("matrix:\n  - field: seed\n    values: [1, 1]", "matrix[0].values[1] (seed): duplicate of matrix[0].values[0] (1)")]
    [InlineData("matrix:\n  - field: dataset.fraction\n    values: [1, 1.0]", "matrix[0].values[1] (dataset.fraction): duplicate of matrix[0].values[0]")]
    [InlineData("matrix:\n  - field: seed\n    values: [1]\n  - field: seed\n    values: [2]", "matrix[1].field: 'seed' overlaps matrix[0].field 'seed'")]
    [InlineData("matrix:\n  - field: task\n    values: [1]\n  - field: task.labels\n    values: [original]", "matrix[1].field: 'task.labels' overlaps matrix[0].field 'task'")]
    [InlineData("matrix:\n  - field: network.hidden\n    values: [[8, 8], [8, x]]", "matrix[0].values[1][1] (network.hidden[1]): expected an integer, got the string 'x'")]
    [InlineData("matrix:\n  - field: network.hidden\n    values: [[8, 0]]", "matrix[0].values[0] (network.hidden[1]): must be > 0, got 0")]
    [InlineData("matrix:\n  - field: task\n    values: [{labels: random}]", "matrix[0].values[0] (task.classes): is required when task.labels is 'random'")]
    [InlineData("matrix:\n  - field: task\n    values: [{labelz: random}]", "matrix[0].values[0].labelz (task.labelz): unknown field (did you mean 'labels'?)")]
    [InlineData("matrix:\n  - field: training.optimizer\n    values: [sgd, adamw]", "matrix[0].values[1] (training.optimizer): unknown value 'adamw'")]
    [InlineData("matrix:\n  - field: pruning.method\n    values: [imp, nope]", "matrix[0].values[1] (pruning.method): unknown value 'nope'")]
    [InlineData("matrix: {field: seed}", "matrix: expected a list of axes")]
    [InlineData("matrix:\n  - seed", "matrix[0]: expected a mapping with field and values, got the string 'seed'")]
    public void Matrix_errors_name_the_axis_value_and_the_field(string body, string expected)
    {
        var errors = Errors("name: t\n" + body);

        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_rule_broken_by_an_axis_names_the_axis_value_that_causes_it()
    {
        var errors = Errors("""
            name: t
            base:
              training: {steps: 1000, validate_every: 100}
              pruning: {rewind_step: 50}
            matrix:
              - field: training.steps
                values: [1000, 20]
            """);

        Assert.Contains("base.training.validate_every: must be <= training.steps (20), got 100 (with training.steps = 20 from matrix[0].values[1]) (line 3)", errors);
        Assert.Contains("base.pruning.rewind_step: must be < training.steps (20), got 50 (with training.steps = 20 from matrix[0].values[1]) (line 4)", errors);
    }

    [Fact]
    public void Analysis_none_alone_means_training_only_and_unknown_names_are_rejected()
    {
        var known = new SweepCheckOptions { CheckDatasetFiles = false, KnownAnalyses = ["curves", "masks"] };

        var none = SweepFile.Parse("name: t\nanalysis: [none]", options: known);
        var unknown = SweepFile.Parse("name: t\nanalysis: [curvs]", options: known);

        Assert.Empty(none.Errors);
        Assert.True(none.IsValid);
        Assert.Equal([SweepDefinition.NoAnalyses], none.Sweep.Analysis);
        Assert.Contains(unknown.Errors, e => e.ToString().StartsWith("analysis[0]: unknown analysis 'curvs', expected one of: curves, masks (or none alone, for training only)", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("name: a b", "name: 'a b' must start with a letter or digit")]
    [InlineData("base: {}", "name: is required")]
    [InlineData("name: 3", "name: expected a string, got the number 3")]
    [InlineData("name: t\nbase: {}\nmatrx: []", "matrx: unknown field (did you mean 'matrix'?)")]
    [InlineData("name: t\nanalysis: connectivity", "analysis: expected a list of analysis names")]
    [InlineData("name: t\nanalysis: [masks, masks]", "analysis[1]: 'masks' is listed twice")]
    [InlineData("name: t\nanalysis: [\"\"]", "analysis[0]: expected an analysis name")]
    [InlineData("name: t\nanalysis: [curves, none]", "analysis: 'none' (training only) cannot be listed with other analyses")]
    [InlineData("- a\n- b", "(document): expected a mapping")]
    [InlineData("", "(document): the file is empty")]
    [InlineData("name: t\nbase: {training: {steps: 1}\n", "(document): not valid YAML")]
    [InlineData("name: t\nname: u", "name: duplicate key (first set on line 1) (line 2)")]
    public void Document_errors_are_reported(string yaml, string expected)
    {
        var errors = Errors(yaml);

        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_error_of_a_file_is_reported_at_once_with_its_line()
    {
        var file = Check("""
            name: t
            base:
              training:
                stepz: 10
                learning_rate: -1
              pruning:
                method: impp
            matrix:
              - field: dataset.fractionn
                values: [1]
              - field: seed
                values: [0, x]
            extra: 1
            """);

        var rendered = file.Errors.Select(e => e.ToString()).ToList();
        Assert.Equal(6, rendered.Count);
        Assert.Contains("base.training.stepz: unknown field (did you mean 'steps'?) (line 4)", rendered);
        Assert.Contains("base.training.learning_rate: must be > 0, got -1 (line 5)", rendered);
        Assert.Contains(rendered, e => e.StartsWith("base.pruning.method: unknown value 'impp'", StringComparison.Ordinal) && e.EndsWith("(line 7)", StringComparison.Ordinal));
        Assert.Contains("matrix[0].field: unknown experiment field 'dataset.fractionn' (did you mean 'dataset.fraction'?) (line 9)", rendered);
        Assert.Contains("matrix[1].values[1] (seed): expected an integer, got the string 'x' (line 12)", rendered);
        Assert.Contains("extra: unknown field (line 13)", rendered);
        Assert.False(file.IsValid);
    }

    [Fact]
    public void Missing_dataset_files_are_reported_at_the_field_that_names_them()
    {
        var file = SweepFile.Parse("""
            name: t
            base:
              dataset: {name: mnist, path: /nonexistent/mnist}
            matrix:
              - field: dataset.path
                values: [/nonexistent/a, /nonexistent/b]
            """);

        Assert.Contains(file.Errors, e => e.Path == "matrix[0].values[0]" && e.Field == "dataset.path" && e.Message.Contains("/nonexistent/a", StringComparison.Ordinal));
        Assert.Contains(file.Errors, e => e.Path == "matrix[0].values[1]" && e.Field == "dataset.path" && e.Message.Contains("/nonexistent/b", StringComparison.Ordinal));
    }

    [Fact]
    public void A_dataset_without_a_directory_says_how_to_give_one()
    {
        var file = SweepFile.Parse("name: t\nbase:\n  dataset: {name: imagenet32}\n");

        var error = Assert.Single(file.Errors);
        Assert.Equal("base.dataset.name", error.Path);
        Assert.Contains("dataset.path", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_existing_directory_without_the_dataset_files_is_reported()
    {
        string empty = Directory.CreateTempSubdirectory("grid-no-mnist").FullName;
        try
        {
            var file = SweepFile.Parse($"name: t\nbase:\n  dataset: {{name: mnist, path: {empty}}}\n");

            Assert.Contains(file.Errors, e => e.Path == "base.dataset.path");
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    [Fact]
    public void A_missing_mapping_file_is_reported()
    {
        var file = SweepFile.Parse("name: t\nbase:\n  dataset: {name: mnist, path: /nonexistent}\n  task: {labels: semantic, classes: 5, mapping_file: /nonexistent/map.txt}\n");

        Assert.Contains(file.Errors, e => e.ToString().StartsWith("base.task.mapping_file: file '/nonexistent/map.txt' does not exist", StringComparison.Ordinal));
    }

    [Fact]
    public void Where_absent_datasets_are_warnings_a_missing_directory_is_a_warning_at_its_field_and_the_sweep_is_valid()
    {
        var options = new SweepCheckOptions { AbsentDatasetIsWarning = true };
        var file = SweepFile.Parse("name: t\nbase:\n  dataset: {name: mnist}\nmatrix:\n  - field: dataset.path\n    values: [/nonexistent/a, /nonexistent/b]\n", options: options);

        Assert.True(file.IsValid, string.Join("\n", file.Errors));
        Assert.Equal(2, file.Warnings.Count);
        Assert.Contains(file.Warnings, w => w.Path == "matrix[0].values[1]" && w.Field == "dataset.path"
            && w.Message.StartsWith("mnist is not on this machine (looked in /nonexistent/b (given by dataset.path))", StringComparison.Ordinal)
            && w.Message.Contains("silos read /nonexistent/b", StringComparison.Ordinal));
        Assert.Equal(6, file.Warnings[0].Line);
    }

    [Fact]
    public void Where_absent_datasets_are_warnings_files_that_are_there_but_broken_are_still_errors()
    {
        string directory = Directory.CreateTempSubdirectory("grid-broken-mnist").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(directory, "train-images-idx3-ubyte"), [0, 0, 8, 3, 0, 0]);
            var file = SweepFile.Parse($"name: t\nbase:\n  dataset: {{name: mnist, path: {directory}}}\n", options: new SweepCheckOptions { AbsentDatasetIsWarning = true });

            Assert.False(file.IsValid);
            Assert.Empty(file.Warnings);
            // One file of four (and that one truncated): the dataset is here, broken, not absent.
            Assert.Contains(file.Errors, e => e.Path == "base.dataset.path" && e.Message.Contains("missing dataset file", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
