using YamlDotNet.RepresentationModel;

namespace Grid.Deploy.Tests.Support;

/// <summary>One Kubernetes object of a render.</summary>
public sealed record K8sObject(string Kind, string Name, string? Namespace, YamlMappingNode Node)
{
    public override string ToString() => $"{Kind}/{Name}";

    /// <summary>The pod template of a workload (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job) or a Pod's spec.</summary>
    public YamlNode? PodSpec => Kind == "Pod" ? Node.At("spec") : Node.At("spec", "template", "spec");

    public IReadOnlyDictionary<string, string> PodLabels =>
        Kind == "Pod" ? Node.Map("metadata", "labels") : Node.Map("spec", "template", "metadata", "labels");

    public IReadOnlyDictionary<string, string> PodAnnotations =>
        Kind == "Pod" ? Node.Map("metadata", "annotations") : Node.Map("spec", "template", "metadata", "annotations");

    /// <summary>Containers and init containers of the pod spec.</summary>
    public IEnumerable<Container> AllContainers =>
        PodSpec.Items("containers").Concat(PodSpec.Items("initContainers")).Select(c => new Container(this, c));

    public IEnumerable<Container> Containers => PodSpec.Items("containers").Select(c => new Container(this, c));

    public Container Container(string name) =>
        Containers.FirstOrDefault(c => c.Name == name)
        ?? throw new Xunit.Sdk.XunitException($"{this} has no container '{name}' (has {string.Join(", ", Containers.Select(c => c.Name))})");

    public bool IsWorkload => PodSpec is not null;
}

public sealed record Container(K8sObject Owner, YamlNode Node)
{
    public string Name => Node.Str("name") ?? "";

    public string Image => Node.Str("image") ?? "";

    public override string ToString() => $"{Owner} container {Name}";

    public IEnumerable<(string Name, int Port)> Ports =>
        Node.Items("ports").Select(p => (p.Str("name") ?? "", p.Int("containerPort") ?? -1));

    /// <summary>Resolves a probe or Service target port (a number or a port name) to a container port.</summary>
    public int? ResolvePort(string? port)
    {
        if (port is null)
        {
            return null;
        }

        if (int.TryParse(port, out int number))
        {
            return number;
        }

        return Ports.Where(p => p.Name == port).Select(p => (int?)p.Port).FirstOrDefault();
    }

    /// <summary>Plain env entries (name → value; valueFrom entries map to null).</summary>
    public IReadOnlyDictionary<string, string?> Env =>
        Node.Items("env").ToDictionary(e => e.Str("name") ?? "", e => e.At("valueFrom") is null ? e.Str("value") ?? "" : null);

    public string? FieldRef(string envName) =>
        Node.Items("env").FirstOrDefault(e => e.Str("name") == envName).Str("valueFrom", "fieldRef", "fieldPath");

    public IEnumerable<string> EnvFromConfigMaps =>
        Node.Items("envFrom").Select(e => e.Str("configMapRef", "name")).OfType<string>();

    public YamlNode? Mount(string mountPath) =>
        Node.Items("volumeMounts").FirstOrDefault(m => m.Str("mountPath") == mountPath);

    public string? Resource(string kind, string name) => Node.Str("resources", kind, name);
}

/// <summary>The objects of one <c>kubectl kustomize</c> render.</summary>
public sealed class Manifests
{
    private Manifests(string source, IReadOnlyList<K8sObject> objects)
    {
        Source = source;
        Objects = objects;
    }

    public string Source { get; }

    public IReadOnlyList<K8sObject> Objects { get; }

    public static Manifests Parse(string source, string yaml)
    {
        var objects = Yaml.LoadDocuments(yaml, source)
            .Select(d => new K8sObject(d.Str("kind") ?? "", d.Str("metadata", "name") ?? "", d.Str("metadata", "namespace"), d))
            .ToList();
        return new Manifests(source, objects);
    }

    public IEnumerable<K8sObject> OfKind(string kind) => Objects.Where(o => o.Kind == kind);

    public IEnumerable<K8sObject> Workloads => Objects.Where(o => o.IsWorkload);

    public K8sObject? Find(string kind, string name) => Objects.FirstOrDefault(o => o.Kind == kind && o.Name == name);

    public K8sObject Get(string kind, string name) =>
        Find(kind, name) ?? throw new Xunit.Sdk.XunitException(
            $"{Source}: no {kind}/{name}; it has {string.Join(", ", Objects.Select(o => o.ToString()))}");

    /// <summary>A generated ConfigMap: its name is the generator's name, possibly with kustomize's hash suffix.</summary>
    public K8sObject? FindConfigMap(string generatorName) =>
        OfKind("ConfigMap").FirstOrDefault(o => o.Name == generatorName)
        ?? OfKind("ConfigMap").FirstOrDefault(o => o.Name.StartsWith(generatorName + "-", StringComparison.Ordinal)
                                               && !o.Name[(generatorName.Length + 1)..].Contains('-', StringComparison.Ordinal));

    public K8sObject ConfigMap(string generatorName) =>
        FindConfigMap(generatorName) ?? throw new Xunit.Sdk.XunitException(
            $"{Source}: no ConfigMap {generatorName}; it has {string.Join(", ", OfKind("ConfigMap").Select(o => o.Name))}");

    /// <summary>Workloads whose pod labels a Service selector matches.</summary>
    public IEnumerable<K8sObject> Selected(IReadOnlyDictionary<string, string> selector) =>
        selector.Count == 0
            ? []
            : Workloads.Where(w => selector.All(kv => w.PodLabels.TryGetValue(kv.Key, out var v) && v == kv.Value));
}
