using Grid.Deploy.Tests.Support;

namespace Grid.Deploy.Tests;

/// <summary>
/// Every Grid setting the deployment sets (Grid__Key or GRID_KEY, in the rendered manifests and in the Dockerfiles)
/// is one the silo reads, with a value it can parse; a misspelt key would otherwise be ignored without a word.
/// </summary>
public class ConfigKeyTests
{
    public static readonly TheoryData<string> Dockerfiles = new()
    {
        "docker/silo-cpu.Dockerfile", "docker/silo-cuda.Dockerfile", "docker/client.Dockerfile",
    };

    [Theory]
    [MemberData(nameof(GridNames.Overlays), MemberType = typeof(GridNames))]
    public void Manifests_set_only_settings_the_silo_reads(string overlay)
    {
        var settings = SettingsOf(overlay).Where(s => !IsPending(s.Key)).ToList();
        Assert.True(settings.Count > 5, $"k8s/overlays/{overlay}: found only {settings.Count} settings to check");
        var problems = settings.Select(s => SiloSettings.Problem(s.Key, s.Value, s.Where)).OfType<string>().ToList();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    /// <summary>
    /// Settings another change is adding to the silo (Grid__RedisConnectionString from the Redis clustering work):
    /// this fails, naming the key, until a src/Silo/*.cs declares the property.
    /// </summary>
    [Theory]
    [MemberData(nameof(GridNames.Overlays), MemberType = typeof(GridNames))]
    public void Settings_pending_in_the_silo_have_landed(string overlay)
    {
        var problems = SettingsOf(overlay).Where(s => IsPending(s.Key))
            .Select(s => SiloSettings.Problem(s.Key, s.Value, s.Where)).OfType<string>().ToList();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    private static bool IsPending(string key) =>
        SiloSettings.Pending.Any(p => key.Equals($"Grid__{p}", StringComparison.OrdinalIgnoreCase)
                                      || key.Equals($"GRID_{p}", StringComparison.OrdinalIgnoreCase));

    /// <summary>Every environment setting of every container: its envFrom ConfigMaps' keys and its env.</summary>
    private static List<(string Key, string? Value, string Where)> SettingsOf(string overlay)
    {
        var m = GridNames.Render(overlay);
        var result = new List<(string, string?, string)>();
        var consumed = m.Workloads.SelectMany(w => w.AllContainers).SelectMany(c => c.EnvFromConfigMaps).ToHashSet();
        foreach (var configMap in m.OfKind("ConfigMap").Where(c => consumed.Contains(c.Name)))
        {
            result.AddRange(configMap.Node.Map("data").Select(kv => (kv.Key, (string?)kv.Value, $"{m.Source} ConfigMap {configMap.Name}")));
        }

        foreach (var container in m.Workloads.SelectMany(w => w.AllContainers))
        {
            result.AddRange(container.Env.Select(kv => (kv.Key, kv.Value, $"{m.Source} {container}")));
        }

        return result;
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void Dockerfiles_set_only_settings_the_silo_reads(string path)
    {
        var dockerfile = Dockerfile.Load(path);
        var problems = dockerfile.Stages
            .SelectMany(s => dockerfile.Env(s.Index))
            .Select(e => SiloSettings.Problem(e.Key, e.Value, path))
            .OfType<string>()
            .ToList();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void The_check_knows_the_silos_settings_and_rejects_others()
    {
        Assert.Contains("DeviceSlots", SiloSettings.Properties.Keys);
        Assert.Contains("GatewayListenAddress", SiloSettings.Properties.Keys);
        Assert.Contains("redis", SiloSettings.ClusteringModes);
        Assert.Null(SiloSettings.Problem("Grid__DeviceSlots", "2", "test"));
        Assert.Null(SiloSettings.Problem("GRID_DEVICESLOTS", "2", "test"));
        Assert.Null(SiloSettings.Problem("GRID_FASHION_MNIST_DIR", "/data/fashion-mnist", "test"));
        Assert.Null(SiloSettings.Problem("ASPNETCORE_URLS", "http://+:8080", "test"));
        Assert.Contains("Grid__DeviceSlot", SiloSettings.Problem("Grid__DeviceSlot", "2", "test"));
        Assert.Contains("does not parse", SiloSettings.Problem("Grid__DeviceSlots", "two", "test"));
        Assert.Contains("clustering mode", SiloSettings.Problem("Grid__Clustering", "consul", "test"));
        Assert.Contains("device", SiloSettings.Problem("Grid__Device", "gpu", "test"));
        Assert.NotNull(SiloSettings.Problem("GRID_FASHION_DIR", "/data", "test"));
    }
}
