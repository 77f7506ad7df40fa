using System.Text.Json.Nodes;
using Grid.Engine.Runs.Store;
using Grid.Engine.Runtime;
using Grid.Engine.Specs;
using Grid.Engine.Sweeps;
using Grid.Engine.Tests.Runs;
using Grid.Engine.Training.Bundles;
using static TorchSharp.torch;

namespace Grid.Engine.Tests.Training;

/// <summary><c>training.bundle</c> in specs and sweeps, <see cref="BundleShape"/> and <see cref="BundleSizing"/>.</summary>
public sealed class BundleSettingsTests
{
    [Theory]
    [InlineData("\"fast\"", "expected auto or an integer, got the string 'fast'")]
    [InlineData("2.5", "expected auto or an integer, got the number 2.5")]
    [InlineData("true", "expected auto or an integer, got the boolean true")]
    [InlineData("0", "must be auto or an integer >= 1 (1: never bundle), got 0")]
    public void A_bad_bundle_is_an_error_naming_training_bundle(string value, string message)
    {
        var compilation = Compile("{\"training\": {\"bundle\": " + value + "}}", "");

        Assert.False(compilation.IsValid);
        var error = Assert.Single(compilation.Errors);
        Assert.Equal("base.training.bundle", error.Path);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bundle_is_sweepable_auto_is_the_omitted_default_and_it_is_not_part_of_the_run_store_identity()
    {
        var compilation = Compile("{}", """, "matrix": [{"field": "training.bundle", "values": ["auto", 1, 4]}]""");

        Assert.True(compilation.IsValid, string.Join("\n", compilation.Errors));
        var specs = compilation.Runs.Select(r => r.Spec).ToList();
        Assert.Equal(new int?[] { null, 1, 4 }, specs.Select(s => s.Training.Bundle));
        Assert.Equal(SpecJson.Canonical(new ExperimentSpec()), SpecJson.Canonical(specs[0])); // auto: the hash of specs written before the field
        Assert.Contains("\"bundle\":4", SpecJson.Canonical(specs[2]), StringComparison.Ordinal);
        Assert.Equal(4, SpecJson.Parse<ExperimentSpec>(SpecJson.Canonical(specs[2])).Training.Bundle);
        Assert.Single(specs.Select(s => RunIdentity.Of(s, "dataset", null)).Select(i => (i.Trunk, i.Line)).Distinct());
    }

    [Fact]
    public void Iterations_may_share_a_bundle_when_what_trains_in_lockstep_agrees()
    {
        var spec = TinyRuns.Spec(1);
        string key = BundleShape.Key(spec);

        // what each member has to itself
        Assert.Equal(key, BundleShape.Key(spec with { Seed = 9 }));
        Assert.Equal(key, BundleShape.Key(spec with { Dataset = spec.Dataset with { Fraction = 0.5 } }));
        Assert.Equal(key, BundleShape.Key(spec with { Task = new TaskSpec { RotationDegrees = 20, Translate = true } }));
        Assert.Equal(key, BundleShape.Key(spec with { Pruning = spec.Pruning with { Method = "snip", Rate = 0.2 } }));
        Assert.Equal(key, BundleShape.Key(spec with { Training = spec.Training with { Bundle = 4, Kernel = "sparse" } }));
        Assert.Equal(key, BundleShape.Key(spec with { Dataset = spec.Dataset with { Name = DatasetNames.Mnist } })); // 784 inputs, 10 classes too

        // what the bundle shares
        Assert.NotEqual(key, BundleShape.Key(spec with { Network = spec.Network with { Hidden = [32, 32, 16] } }));
        Assert.NotEqual(key, BundleShape.Key(spec with { Network = spec.Network with { BatchNorm = false } }));
        Assert.NotEqual(key, BundleShape.Key(spec with { Training = spec.Training with { BatchSize = 60 } }));
        Assert.NotEqual(key, BundleShape.Key(spec with { Training = spec.Training with { Steps = 61 } }));
        Assert.NotEqual(key, BundleShape.Key(spec with { Training = spec.Training with { ValidateEvery = 30 } }));
        Assert.NotEqual(key, BundleShape.Key(spec with { Training = spec.Training with { Optimizer = Optimizers.Adam } }));
        Assert.NotEqual(key, BundleShape.Key(spec with { Training = spec.Training with { LearningRate = 0.05 } }));
        Assert.NotEqual(key, BundleShape.Key(spec with { Training = spec.Training with { BnDecay = 0.9 } }));
        Assert.NotEqual(key, BundleShape.Key(spec with { Dataset = spec.Dataset with { Downsample = 2 } }));
        Assert.NotEqual(key, BundleShape.Key(spec with { Dataset = spec.Dataset with { Name = DatasetNames.Cifar10 } }));
        Assert.NotEqual(key, BundleShape.Key(spec with { Task = new TaskSpec { Labels = LabelModes.Random, Classes = 5 } }));
        Assert.Equal(
            BundleShape.Key(spec with { Task = new TaskSpec { Labels = LabelModes.Random, Classes = 5 } }),
            BundleShape.Key(spec with { Task = new TaskSpec { Labels = LabelModes.Mixed, Classes = 5, MappingFile = "m.txt" } }));
    }

    [Fact]
    public void A_set_size_is_taken_as_it_is_and_auto_is_measured_once_and_kept_in_the_host_profile()
    {
        var spec = TinyRuns.Spec(1);
        string file = Path.Combine(TinyRuns.TemporaryDirectory(), "host-profile.json");
        Assert.Equal(3, BundleSizing.Members(spec with { Training = spec.Training with { Bundle = 3 } }, 1, CPU, new HostProfile(file)));
        Assert.False(File.Exists(file)); // nothing measured

        int measured = BundleSizing.Members(spec, 1, CPU, new HostProfile(file));
        Assert.InRange(measured, 1, BundleSizing.Candidates[^1]);
        var stored = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        var entry = Assert.Single(stored, e => e.Key.Contains("|bundle v", StringComparison.Ordinal));
        Assert.Equal(measured, entry.Value![0]!.GetValue<double>());

        // another process reads it rather than measuring: a stored answer it could not have measured is what it gets
        entry.Value![0] = 6;
        File.WriteAllText(file, stored.ToJsonString());
        Assert.Equal(6, BundleSizing.Members(spec, 1, CPU, new HostProfile(file)));
        Assert.NotEqual(6, BundleSizing.Members(spec, 2, CPU, new HostProfile(file))); // one measurement per thread count
    }

    private static SweepCompilation Compile(string baseJson, string rest) =>
        SweepCompiler.Compile(JsonNode.Parse("{\"name\": \"bundles\", \"base\": " + baseJson + rest + "}"), new SweepCheckOptions { CheckDatasetFiles = false });
}
