using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grid.Deploy.Tests.Support;
using Grid.Engine.Specs;
using Grid.Engine.Sweeps;
using YamlDotNet.RepresentationModel;

namespace Grid.Deploy.Tests;

/// <summary>The sweeps the submit Job can run compile with the grid's own sweep compiler, on the cluster's paths.</summary>
public class SweepTests
{
    [Theory]
    [MemberData(nameof(GridNames.Overlays), MemberType = typeof(GridNames))]
    public void Mounted_sweeps_compile_and_read_data_from_the_data_volume(string overlay)
    {
        var m = GridNames.Render(overlay);
        var sweeps = m.ConfigMap(GridNames.Sweeps).Node.Map("data");
        Assert.NotEmpty(sweeps);
        var dataMount = m.SiloContainerOf().Mount("/data");
        Assert.NotNull(dataMount);
        foreach (var (file, text) in sweeps)
        {
            var compilation = Compile(text, file);
            Assert.True(compilation.IsValid, $"{file}:{Environment.NewLine}{string.Join(Environment.NewLine, compilation.Errors)}");
            foreach (var run in compilation.Runs)
            {
                string? path = run.Spec.Dataset.Path;
                Assert.True(path is not null && path.StartsWith("/data/", StringComparison.Ordinal),
                    $"{file} run {run.Label}: dataset.path {path ?? "(default)"} is not on the data volume (/data)");
            }
        }
    }

    [Fact]
    public void Cluster_quickstart_is_the_quickstart_on_the_data_volume()
    {
        var cluster = Compile(Repo.Read("k8s/base/sweeps/quickstart.yaml"), "k8s/base/sweeps/quickstart.yaml");
        var local = Compile(Repo.Read("experiments/quickstart.yaml"), "experiments/quickstart.yaml");
        Assert.True(cluster.IsValid && local.IsValid, string.Join(Environment.NewLine, cluster.Errors.Concat(local.Errors)));
        Assert.Equal(local.Runs.Count, cluster.Runs.Count);
        for (int i = 0; i < local.Runs.Count; i++)
        {
            Assert.True(Canonical(local.Runs[i].Spec) == Canonical(cluster.Runs[i].Spec),
                "k8s/base/sweeps/quickstart.yaml has drifted from experiments/quickstart.yaml (other than dataset.path): "
                + $"{Environment.NewLine}  experiments: {Canonical(local.Runs[i].Spec)}{Environment.NewLine}  k8s:         {Canonical(cluster.Runs[i].Spec)}");
        }
    }

    private static string Canonical(ExperimentSpec spec) =>
        SpecJson.Canonical(spec with { Dataset = spec.Dataset with { Path = null } });

    private static SweepCompilation Compile(string yaml, string source)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        Assert.True(stream.Documents.Count == 1, $"{source}: expected one YAML document");
        // Dataset files live on the cluster's volume, not here.
        return SweepCompiler.Compile(ToJson(stream.Documents[0].RootNode), new SweepCheckOptions { CheckDatasetFiles = false });
    }

    /// <summary>YAML to the JSON tree the compiler takes; plain scalars are typed the YAML 1.2 core way, as `grid` does.</summary>
    private static JsonNode? ToJson(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (key, value) in mapping.Children)
                {
                    obj[((YamlScalarNode)key).Value!] = ToJson(value);
                }

                return obj;
            case YamlSequenceNode sequence:
                return new JsonArray([.. sequence.Children.Select(ToJson)]);
            case YamlScalarNode scalar:
                string text = scalar.Value ?? "";
                if (scalar.Style is not (YamlDotNet.Core.ScalarStyle.Plain or YamlDotNet.Core.ScalarStyle.Any))
                {
                    return JsonValue.Create(text);
                }

                if (text is "" or "~" or "null")
                {
                    return null;
                }

                if (text is "true" or "false")
                {
                    return JsonValue.Create(text == "true");
                }

                if (long.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out long integer))
                {
                    return JsonValue.Create(integer);
                }

                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double number)
                    ? JsonValue.Create(number)
                    : JsonValue.Create(text);
            default:
                throw new JsonException($"unsupported YAML node {node.NodeType}");
        }
    }
}
