namespace Grid.Deploy.Tests.Support;

/// <summary>Names the manifests and the tests agree on.</summary>
public static class GridNames
{
    public const string Silo = "grid-silo";
    public const string SiloContainer = "silo";
    public const string Config = "grid-config";
    public const string Sweeps = "grid-sweeps";
    public const string SubmitJob = "grid-submit";
    public const string Gateway = "grid-gateway";
    public const string HttpService = "grid-http";
    public const string Redis = "redis";
    public const int HttpPort = 8080;
    public const int SiloPort = 11111;
    public const int GatewayPort = 30000;

    public static readonly TheoryData<string> Overlays = new() { "cpu", "gpu" };

    public static Manifests Render(string overlay) => Kubectl.Kustomize($"k8s/overlays/{overlay}");

    public static K8sObject SiloDeployment(this Manifests m) => m.Get("Deployment", Silo);

    public static Container SiloContainerOf(this Manifests m) => m.SiloDeployment().Container(SiloContainer);

    /// <summary>The silo's configuration as the container sees it: its envFrom ConfigMaps, then its env.</summary>
    public static IReadOnlyDictionary<string, string?> SiloSettings(this Manifests m)
    {
        var silo = m.SiloContainerOf();
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (string configMap in silo.EnvFromConfigMaps)
        {
            foreach (var (key, value) in m.Get("ConfigMap", configMap).Node.Map("data"))
            {
                settings[key] = value;
            }
        }

        foreach (var (key, value) in silo.Env)
        {
            settings[key] = value;
        }

        return settings;
    }

    public static string Setting(this Manifests m, string key)
    {
        var settings = m.SiloSettings();
        Assert.True(settings.TryGetValue(key, out var value) && value is not null,
            $"{m.Source}: the silo container gets no {key} (neither from its envFrom ConfigMaps nor its env)");
        return value!;
    }

    /// <summary>Repository part of an image reference (no tag or digest).</summary>
    public static string Repository(string image)
    {
        string withoutDigest = image.Split('@')[0];
        int slash = withoutDigest.LastIndexOf('/');
        int colon = withoutDigest.LastIndexOf(':');
        return colon > slash ? withoutDigest[..colon] : withoutDigest;
    }

    public static string LastSegment(string repository) => repository[(repository.LastIndexOf('/') + 1)..];
}
