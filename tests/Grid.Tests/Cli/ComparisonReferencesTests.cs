using System.Text.Json.Nodes;
using Grid.Client;
using Grid.Client.Commands;
using Grid.Engine.Sweeps;

namespace Grid.Tests.Cli;

/// <summary>What `grid compare` accepts as a sweep or a run, against a results directory with two sweeps.</summary>
public sealed class ComparisonReferencesTests : IDisposable
{
    private readonly TemporaryDirectory _results = new("grid-compare-refs-");
    private readonly SweepManifest _alpha;
    private readonly SweepManifest _beta;

    public ComparisonReferencesTests()
    {
        var store = new SweepStore(_results.Path);
        _alpha = Create(store, "alpha", "[0, 1, 2]");
        _beta = Create(store, "beta", "[5, 6]");
    }

    public void Dispose() => _results.Dispose();

    [Fact]
    public void A_sweep_by_name_hash_prefix_or_directory_stands_for_all_its_runs()
    {
        var references = new ComparisonReferences(_results.Path);
        string directory = Path.Combine(_results.Path, _alpha.Directory);

        foreach (string reference in new[] { "alpha", _alpha.Hash, _alpha.Hash[..6], directory, directory + "/" })
        {
            var (item, name) = references.Resolve(reference);
            Assert.Equal((directory, "alpha"), (item.SweepDirectory, name));
            Assert.Null(item.RunHashes);
        }
    }

    [Fact]
    public void A_run_by_sweep_and_hash_prefix_by_its_directory_or_by_a_prefix_only_one_sweep_has()
    {
        var references = new ComparisonReferences(_results.Path);
        var run = _beta.Runs[1];
        string runDirectory = Path.Combine(_results.Path, _beta.Directory, run.Directory);
        Directory.CreateDirectory(runDirectory); // as once the run has started

        foreach (string reference in new[] { $"beta/{run.Hash[..5]}", $"{_beta.Hash}/{run.Hash}", runDirectory, run.Hash[..8] })
        {
            var (item, name) = references.Resolve(reference);
            Assert.Equal(Path.Combine(_results.Path, _beta.Directory), item.SweepDirectory);
            Assert.Equal([run.Hash], item.RunHashes);
            Assert.Equal($"beta-run{run.Index}", name);
        }
    }

    [Theory]
    [InlineData("gamma", "'gamma': no sweep or run of that name or hash in")]
    [InlineData("alpha/ffffffff", "'alpha/ffffffff': sweep alpha-")]
    [InlineData("gamma/1234", "no sweep 'gamma'")]
    public void Unknown_references_name_what_there_is(string reference, string expected)
    {
        var error = Assert.Throws<KeyNotFoundException>(() => new ComparisonReferences(_results.Path).Resolve(reference));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public async Task The_command_needs_two_references_and_refuses_an_unknown_one_with_2()
    {
        var (one, oneOutput) = await CliTests.RunAsync("compare", "alpha", "--results", _results.Path);
        var (unknown, unknownOutput) = await CliTests.RunAsync("compare", "alpha", "gamma", "--results", _results.Path);

        Assert.Equal(ExitCodes.InvalidInput, one);
        Assert.Contains("give at least two sweeps or runs to compare", oneOutput);
        Assert.Equal(ExitCodes.InvalidInput, unknown);
        Assert.Contains("'gamma': no sweep or run of that name or hash", unknownOutput);
        Assert.Empty(Directory.GetFiles(_results.Path));
    }

    private static SweepManifest Create(SweepStore store, string name, string seeds)
    {
        var document = JsonNode.Parse($$$"""{"name": "{{{name}}}", "matrix": [{"field": "seed", "values": {{{seeds}}}}]}""");
        var compilation = SweepCompiler.Compile(document, new SweepCheckOptions { CheckDatasetFiles = false });
        return store.Create(compilation.Require(), compilation.Runs, null, DateTimeOffset.UtcNow);
    }
}
