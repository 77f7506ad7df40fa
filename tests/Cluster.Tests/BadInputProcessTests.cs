using Grid.Cluster.Tests.Support;

namespace Grid.Cluster.Tests;

/// <summary>
/// Bad input found by probing a fresh clone, each as a real `grid` process: the exit code, the message naming the field
/// or file, an end within a generous bound, a modest memory peak (the managed heap is capped, see
/// <see cref="CliProcess"/>), and not one file written, changed or removed.
/// </summary>
public sealed class BadInputProcessTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(180);
    private const long PeakBound = 600L << 20;

    /// <summary>A case: writes its files into the directory and returns the command line, the environment, the exit code
    /// and the texts the output must contain.</summary>
    private sealed record Case(Func<TemporaryDirectory, string[]> Arrange, int ExitCode, string[] Expected, Dictionary<string, string>? Environment = null);

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["alias bomb, dry run"] = new(d => ["run", d.Write("bomb.yaml", SpecFixtures.AliasBomb(9)), "--dry-run", "--results", "results"], 2,
            ["x4[7]: the file holds more than 100,000 values once its aliases are expanded", "(line 6)"]),
        ["alias bomb, run"] = new(d => ["run", d.Write("bomb.yaml", SpecFixtures.AliasBomb(9)), "--results", "results"], 2,
            ["more than 100,000 values", "nothing was started"]),
        ["47 MB spec with a 6-million-value axis"] = new(d => ["run", d.Write("huge.yaml", SpecFixtures.LongAxis(6_000_000)), "--dry-run", "--results", "results"], 2,
            ["huge.yaml' is larger than 1,024 KiB, the limit for a sweep file"]),
        ["axis longer than the run limit"] = new(d => ["run", d.Write("long.yaml", SpecFixtures.LongAxis(20_000)), "--dry-run", "--results", "results"], 2,
            ["matrix[0].values: lists 20,000 values, more than the 10,000 runs a sweep may have (line 4)"]),
        ["misspelt --dry-run"] = new(d => ["run", d.Write("probe.yaml", SpecFixtures.TinyBase), "--dryrun", "--results", "results"], 2,
            ["Unknown option 'dryrun'", "Did you mean --dry-run?"]),
        ["--slots abc"] = new(d => ["run", d.Write("probe.yaml", SpecFixtures.TinyBase), "--slots", "abc", "--results", "results"], 2,
            ["--slots 'abc': expected a whole number of at least 1"]),
        ["--device tpu, dry run"] = new(d => ["run", d.Write("probe.yaml", SpecFixtures.TinyBase), "--device", "tpu", "--dry-run", "--results", "results"], 2,
            ["--device: device 'tpu': expected cpu, cuda, cuda:N, cuda:all or auto (or a comma-separated list of them)"]),
        ["--device tpu, run"] = new(d => ["run", d.Write("probe.yaml", SpecFixtures.TinyBase), "--device", "tpu", "--results", "results"], 2,
            ["--device: device 'tpu': expected cpu, cuda, cuda:N, cuda:all or auto (or a comma-separated list of them)"]),
        ["--device cuda:99"] = new(d => ["run", d.Write("probe.yaml", SpecFixtures.TinyBase), "--device", "cuda:99", "--dry-run", "--results", "results"], 2,
            ["--device: device 'cuda:99': "]),
        ["GRID_DEVICE=tpu"] = new(d => ["run", d.Write("probe.yaml", SpecFixtures.TinyBase), "--results", "results"], 2,
            ["Grid:Device ($GRID_DEVICE): device 'tpu': expected cpu, cuda, cuda:N, cuda:all or auto (or a comma-separated list of them)"], new() { ["GRID_DEVICE"] = "tpu" }),
        ["unclosed list"] = new(d => ["run", d.Write("unclosed.yaml", "name: probe\nbase:\n  network:\n    hidden: [32, 32\n  training:\n    steps: 10\n"), "--dry-run", "--results", "results"], 2,
            ["(document): not valid YAML: the '[' opened on line 4, column 13 is never closed with ']' (line 4)"]),
        ["malformed mapping file"] = new(d => ["run", Mapping(d, "0,1,2,3,x,0,1,2,3,4", "semantic"), "--dry-run", "--results", "results"], 2,
            ["base.task.mapping_file: ", "map.txt: line 1, entry 5: 'x' is not an integer macro class id (line 6)"]),
        ["mapping out of range, run"] = new(d => ["run", Mapping(d, "0,1,2,3,7,0,1,2,3,4", "mixed"), "--results", "results"], 2,
            ["map.txt: line 1: class 4 maps to macro class 7, outside 0..4 (line 6)"]),
        ["task.classes beyond the dataset's classes"] = new(d => ["run", d.Write("classes.yaml", SpecFixtures.TinyBase + "  task: {labels: random, classes: 20}\n"), "--dry-run", "--results", "results"], 2,
            ["base.task.classes: 20 macro classes, but fashion-mnist has only 10 classes to group (expected 2..10) (line 6)"]),
        ["label out of range, run"] = new(d => ["run", Mnist(d, "", badLabel: 12), "--results", "results"], 2,
            ["train-labels-idx1-ubyte: label 12 at index 199 is outside 0..9 (line 6)"]),
        ["val_size beyond the validation set"] = new(d => ["run", Mnist(d, ", val_size: 100000"), "--dry-run", "--results", "results"], 2,
            ["base.dataset.val_size: 100000 is more than the 50 validation images of mnist in "]),
        ["fraction 1e-9"] = new(d => ["run", Mnist(d, ", val_size: 50, fraction: 1e-9"), "--dry-run", "--results", "results"], 2,
            ["base.dataset.fraction: 1E-09 of the 200 training images is 0 images, fewer than one batch of training.batch_size = 100 (line 6)"]),
        ["batch larger than the training set"] = new(d => ["run", d.Write("batch.yaml", SpecFixtures.TinyBase.Replace("batch_size: 100", "batch_size: 100000")), "--dry-run", "--results", "results"], 2,
            ["base.training.batch_size: 100000 is more than the 60000 training images of fashion-mnist"]),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Bad_input_is_refused_fast_with_a_message_naming_it_and_nothing_written(string name)
    {
        var test = Cases[name];
        using var directory = new TemporaryDirectory("grid-bad-input-");
        string[] args = test.Arrange(directory);
        var before = directory.Snapshot();

        var outcome = await CliProcess.RunAsync(directory.Path, args, Bound, test.Environment);

        Assert.True(outcome.ExitCode == test.ExitCode, $"exit code {outcome.ExitCode}, expected {test.ExitCode}:\n{outcome.Output}");
        foreach (string expected in test.Expected)
        {
            Assert.True(outcome.Output.Contains(expected, StringComparison.Ordinal), $"'{expected}' not in:\n{outcome.Output}");
        }

        output.WriteLine($"{name}: exit {outcome.ExitCode} after {outcome.Elapsed.TotalSeconds:0.00} s, peak resident {outcome.PeakResidentBytes >> 20} MiB");
        Assert.DoesNotContain("Exception", outcome.Output);
        Assert.InRange(outcome.PeakResidentBytes, 1, PeakBound); // sampled at least once, and modest
        Assert.Equal(before, directory.Snapshot());
    }

    private static string Mapping(TemporaryDirectory directory, string content, string labels)
    {
        string mapping = directory.Write("map.txt", content + "\n");
        return directory.Write("mapped.yaml", SpecFixtures.TinyBase + $"  task: {{labels: {labels}, classes: 5, mapping_file: {mapping}}}\n");
    }

    private static string Mnist(TemporaryDirectory directory, string datasetFields, byte? badLabel = null)
    {
        string data = directory.File("mnist");
        SpecFixtures.WriteMnist(data, train: 200, validation: 50, badLabel);
        return directory.Write("mnist.yaml", SpecFixtures.TinyBase + $"  dataset: {{name: mnist, path: {data}{datasetFields}}}\n");
    }
}
