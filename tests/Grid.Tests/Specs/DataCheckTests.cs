using Grid.Client.Specs;

namespace Grid.Tests.Specs;

/// <summary>
/// What a run would fail on, or silently work around, once it reads its files is found while the sweep file is
/// checked (and so by --dry-run): mapping files read in full, labels, class counts, image counts.
/// </summary>
public sealed class DataCheckTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static IReadOnlyList<string> Errors(string yaml) => [.. SweepFile.Parse(yaml).Errors.Select(e => e.ToString())];

    [Theory]
    [InlineData("0,1,2,3,x,0,1,2,3,4", "line 1, entry 5: 'x' is not an integer macro class id")]
    [InlineData("0,1,2,3,7,0,1,2,3,4", "line 1: class 4 maps to macro class 7, outside 0..4")]
    [InlineData("0,1,2,3", "line 1: 4 macro class ids, expected 10 (one per original class)")]
    [InlineData("0,1,2,3,0,0,1,2,3,0", "macro class(es) 4 have no original class (k = 5)")]
    [InlineData("# nothing but a comment", "mapping file is empty")]
    public void The_mapping_file_is_read_in_full_and_each_problem_names_the_file(string content, string problem)
    {
        string mapping = _directory.Write("map.txt", content + "\n");

        var errors = Errors(SpecFixtures.TinyBase + $"  task: {{labels: semantic, classes: 5, mapping_file: {mapping}}}\n");

        Assert.Equal([$"base.task.mapping_file: {mapping}: {problem} (line 6)"], errors);
    }

    [Fact]
    public void A_mapping_file_on_an_axis_is_reported_at_the_value_that_names_it()
    {
        string good = _directory.Write("good.txt", "0,1,2,3,4,0,1,2,3,4\n");
        string bad = _directory.Write("bad.txt", "0,1,2,3,4,0,1,2,3,9\n");

        var errors = Errors(SpecFixtures.TinyBase + $$"""
              task: {labels: mixed, classes: 5}
            matrix:
              - field: task.mapping_file
                values: [{{good}}, {{bad}}]

            """);

        Assert.Equal([$"matrix[0].values[1] (task.mapping_file): {bad}: line 1: class 9 maps to macro class 9, outside 0..4 (line 9)"], errors);
    }

    [Fact]
    public void More_macro_classes_than_the_dataset_has_classes_is_an_error_without_reading_any_file()
    {
        var errors = Errors(SpecFixtures.TinyBase + "  dataset: {name: cifar10, path: /nonexistent}\n  task: {labels: random, classes: 20}\n");

        Assert.Contains("base.task.classes: 20 macro classes, but cifar10 has only 10 classes to group (expected 2..10) (line 7)", errors);
    }

    [Fact]
    public void A_label_outside_the_classes_in_the_dataset_files_names_the_file_and_index()
    {
        string data = Path.Combine(_directory.Path, "mnist");
        SpecFixtures.WriteMnist(data, train: 200, validation: 50, badLabel: 12);

        var errors = Errors(SpecFixtures.TinyBase + $"  dataset: {{name: mnist, path: {data}}}\n");

        Assert.Equal([$"base.dataset.path: {data}/train-labels-idx1-ubyte: label 12 at index 199 is outside 0..9 (line 6)"], errors);
    }

    [Fact]
    public void A_val_size_beyond_the_validation_images_is_an_error_not_a_silent_cut()
    {
        string data = Path.Combine(_directory.Path, "mnist");
        SpecFixtures.WriteMnist(data, train: 200, validation: 50);

        var errors = Errors(SpecFixtures.TinyBase + $"  dataset: {{name: mnist, path: {data}, val_size: 100000}}\n");

        Assert.Equal([$"base.dataset.val_size: 100000 is more than the 50 validation images of mnist in {data}; use at most 50 (line 6)"], errors);
    }

    [Theory]
    [InlineData("1e-9", "1E-09 of the 200 training images is 0 images, fewer than one batch of training.batch_size = 100")]
    [InlineData("0.4", "0.4 of the 200 training images is 80 images, fewer than one batch of training.batch_size = 100")]
    public void A_fraction_that_leaves_less_than_one_batch_is_an_error(string fraction, string problem)
    {
        string data = Path.Combine(_directory.Path, "mnist");
        SpecFixtures.WriteMnist(data, train: 200, validation: 50);

        var errors = Errors(SpecFixtures.TinyBase + $"  dataset: {{name: mnist, path: {data}, val_size: 50, fraction: {fraction}}}\n");

        Assert.Equal([$"base.dataset.fraction: {problem} (line 6)"], errors);
    }

    [Fact]
    public void A_batch_larger_than_the_training_set_is_an_error_at_the_axis_value_that_sets_it()
    {
        string data = Path.Combine(_directory.Path, "mnist");
        SpecFixtures.WriteMnist(data, train: 200, validation: 50);

        var errors = Errors(SpecFixtures.TinyBase + $$"""
              dataset: {name: mnist, path: {{data}}, val_size: 50}
            matrix:
              - field: training.batch_size
                values: [100, 500]

            """);

        Assert.Equal([$"matrix[0].values[1] (training.batch_size): 500 is more than the 200 training images of mnist in {data} (line 9)"], errors);
    }

    [Fact]
    public void A_spec_that_fits_its_data_passes_every_file_check()
    {
        string data = Path.Combine(_directory.Path, "mnist");
        SpecFixtures.WriteMnist(data, train: 200, validation: 50);
        string mapping = _directory.Write("map.txt", "0,1,2,3,4,0,1,2,3,4\n");

        var file = SweepFile.Parse(SpecFixtures.TinyBase + $$"""
              dataset: {name: mnist, path: {{data}}, val_size: 50, fraction: 0.5}
              task: {labels: partial-semantic, classes: 5, mapping_file: {{mapping}}}

            """);

        Assert.Empty(file.Errors);
        Assert.True(file.IsValid);
    }
}
