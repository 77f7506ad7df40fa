using Grid.Deploy.Tests.Support;
using YamlDotNet.RepresentationModel;
using static Grid.Deploy.Tests.Support.GridNames;

namespace Grid.Deploy.Tests;

/// <summary>What both overlays (k8s/overlays/cpu and gpu) must render: checked on `kubectl kustomize` output.</summary>
public class OverlayTests
{
    [Theory]
    [MemberData(nameof(GridNames.Overlays), MemberType = typeof(GridNames))]
    public void Renders_the_grid(string overlay)
    {
        var m = Render(overlay);
        foreach (var (kind, name) in new[]
                 {
                     ("Deployment", Silo), ("Service", Gateway), ("Service", HttpService), ("Service", Redis),
                     ("ServiceAccount", Silo), ("Job", SubmitJob), ("PersistentVolumeClaim", "grid-results"),
                     ("PersistentVolumeClaim", "grid-data"),
                 })
        {
            m.Get(kind, name);
        }

        Assert.DoesNotContain(m.Objects, o => o.Kind == "ServiceMonitor"); // optional: its CRD may not exist
    }

    [Theory]
    [MemberData(nameof(GridNames.Overlays), MemberType = typeof(GridNames))]
    public void Every_object_is_in_one_namespace(string overlay)
    {
        var m = Render(overlay);
        var namespaces = m.Objects.Select(o => o.Namespace).Distinct().ToList();
        Assert.True(namespaces.Count == 1 && !string.IsNullOrEmpty(namespaces[0]),
            $"{m.Source}: objects in namespaces {string.Join(", ", namespaces.Select(n => n ?? "(none)"))}: " +
            string.Join(", ", m.Objects.Where(o => o.Namespace != namespaces[0]).Select(o => $"{o}={o.Namespace ?? "(none)"}")));
    }

    [Theory]
    [MemberData(nameof(GridNames.Overlays), MemberType = typeof(GridNames))]
    public void Images_are_the_overlays_and_no_placeholder_is_left(string overlay)
    {
        var m = Render(overlay);
        string expectedSilo = overlay == "gpu" ? "grid-silo-cuda" : "grid-silo-cpu";
        Assert.Equal(expectedSilo, LastSegment(Repository(m.SiloContainerOf().Image)));
        foreach (var container in m.Get("Job", SubmitJob).AllContainers)
        {
            Assert.Equal("grid-client", LastSegment(Repository(container.Image)));
        }

        foreach (var container in m.Workloads.SelectMany(w => w.AllContainers))
        {
            Assert.False(string.IsNullOrWhiteSpace(container.Image), $"{container} has no image");
            Assert.NotEqual("grid-silo", container.Image);
        }
    }

    [Theory]
    [MemberData(nameof(GridNames.Overlays), MemberType = typeof(GridNames))]
    public void Probes_hit_healthz_on_the_http_container_port(string overlay)
    {
        var m = Render(overlay);
        var silo = m.SiloContainerOf();
        Assert.Contains(silo.Ports, p => p.Port == HttpPort);
        Assert.Contains(silo.Ports, p => p.Port == SiloPort);
        Assert.Contains(silo.Ports, p => p.Port == GatewayPort);
        foreach (string probe in new[] { "readinessProbe", "livenessProbe" })
        {
            Assert.True(silo.Node.At(probe) is not null, $"{silo} has no {probe}");
        }

        foreach (string probe in new[] { "readinessProbe", "livenessProbe", "startupProbe" })
        {
            var get = silo.Node.At(probe, "httpGet");
            if (silo.Node.At(probe) is null)
            {
                continue;
            }

            Assert.True(get is not null, $"{silo} {probe} is not an httpGet probe");
            Assert.Equal("/healthz", get.Str("path"));
            Assert.Equal(HttpPort, silo.ResolvePort(get.Str("port")));
        }
    }

    /// <summary>
    /// The probes only work if ASP.NET Core listens on the pod's address at that port. src/Silo/appsettings.json sets
    /// "Urls" (loopback), which overrides ASPNETCORE_URLS; only a plain Urls variable (or the command line) beats it.
    /// </summary>
    [Theory]
    [MemberData(nameof(GridNames.Overlays), MemberType = typeof(GridNames))]
    public void AspNetCore_listens_on_all_interfaces_at_the_probed_port(string overlay)
    {
        var m = Render(overlay);
        var settings = m.SiloSettings();
        using var appsettings = System.Text.Json.JsonDocument.Parse(Repo.Read("src/Silo/appsettings.json"));
        bool appsettingsHasUrls = appsettings.RootElement.EnumerateObject().Any(p => p.Name.Equals("Urls", StringComparison.OrdinalIgnoreCase));
        string key = appsettingsHasUrls ? "Urls" : "ASPNETCORE_URLS";
        Assert.True(settings.TryGetValue(key, out var urls) && urls is not null,
            $"{m.Source}: the silo needs {key} (appsettings.json {(appsettingsHasUrls ? "sets Urls, which overrides ASPNETCORE_URLS" : "has no Urls")})");
        Assert.Contains(urls!.Split(';'), u => u is "http://+:8080" or "http://*:8080" or "http://0.0.0.0:8080" or "http://[::]:8080");
    }

    [Theory]
    [MemberData(nameof(GridNames.Overlays), MemberType = typeof(GridNames))]
    public void Results_are_a_shared_writable_volume_and_data_a_read_only_one(string overlay)
    {
        var m = Render(overlay);
        var silo = m.SiloContainerOf();
        var results = Claim(m, silo, "/results");
        Assert.Contains("ReadWriteMany", results.Node.StringItems("spec", "accessModes"));
        Assert.False(silo.Mount("/results").Bool("readOnly"), "/results must be writable");
        Assert.Equal("/results", m.Setting("Grid__ResultsRoot"));

        var data = Claim(m, silo, "/data");
        Assert.Contains("ReadOnlyMany", data.Node.StringItems("spec", "accessModes"));
        Assert.True(silo.Mount("/data").Bool("readOnly"), "/data must be mounted readOnly");

        foreach (var (key, value) in m.SiloSettings().Where(s => s.Key.EndsWith("_DIR", StringComparison.Ordinal) && s.Key.StartsWith("GRID_", StringComparison.Ordinal)))
        {
            Assert.True(value?.StartsWith("/data/", StringComparison.Ordinal), $"{key}={value} is not on the data volume (/data)");
        }
    }

    private static K8sObject Claim(Manifests m, Container container, string mountPath)
    {
        var mount = container.Mount(mountPath);
        Assert.True(mount is not null, $"{container} mounts nothing at {mountPath}");
        string? volumeName = mount.Str("name");
        var volume = container.Owner.PodSpec.Items("volumes").FirstOrDefault(v => v.Str("name") == volumeName);
        string? claim = volume.Str("persistentVolumeClaim", "claimName");
        Assert.True(claim is not null, $"{container}: volume '{volumeName}' at {mountPath} is not a PersistentVolumeClaim");
        return m.Get("PersistentVolumeClaim", claim!);
    }

    [Theory]
    [MemberData(nameof(GridNames.Overlays), MemberType = typeof(GridNames))]
    public void Orleans_kubernetes_hosting_has_its_labels_env_and_rbac(string overlay)
    {
        var m = Render(overlay);
        var deployment = m.SiloDeployment();
        var silo = m.SiloContainerOf();
        Assert.Equal(m.Setting("Grid__ServiceId"), deployment.PodLabels.GetValueOrDefault("orleans/serviceId"));
        Assert.Equal(m.Setting("Grid__ClusterId"), deployment.PodLabels.GetValueOrDefault("orleans/clusterId"));
        Assert.Equal("metadata.name", silo.FieldRef("POD_NAME"));
        Assert.Equal("metadata.namespace", silo.FieldRef("POD_NAMESPACE"));
        Assert.Equal("status.podIP", silo.FieldRef("POD_IP"));
        Assert.Equal("metadata.labels['orleans/serviceId']", silo.FieldRef("ORLEANS_SERVICE_ID"));
        Assert.Equal("metadata.labels['orleans/clusterId']", silo.FieldRef("ORLEANS_CLUSTER_ID"));

        string? account = deployment.PodSpec.Str("serviceAccountName");
        Assert.True(account is not null, "the silo pods need a service account for Orleans Kubernetes hosting");
        m.Get("ServiceAccount", account!);
        var bindings = m.OfKind("RoleBinding")
            .Where(b => b.Node.Items("subjects").Any(s => s.Str("kind") == "ServiceAccount" && s.Str("name") == account))
            .ToList();
        Assert.True(bindings.Count > 0, $"no RoleBinding binds ServiceAccount {account}");
        var verbs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var binding in bindings)
        {
            foreach (var subject in binding.Node.Items("subjects").Where(s => s.Str("name") == account))
            {
                string? subjectNamespace = subject.Str("namespace");
                Assert.True(subjectNamespace is null || subjectNamespace == binding.Namespace,
                    $"{binding} binds {account} of namespace {subjectNamespace}, not {binding.Namespace}");
            }

            Assert.Equal("Role", binding.Node.Str("roleRef", "kind"));
            var role = m.Get("Role", binding.Node.Str("roleRef", "name") ?? "");
            foreach (var rule in role.Node.Items("rules")
                         .Where(r => r.StringItems("apiGroups").Contains("") && r.StringItems("resources").Contains("pods")))
            {
                verbs.UnionWith(rule.StringItems("verbs"));
            }
        }

        string[] needed = ["get", "list", "watch", "patch", "delete"];
        Assert.True(needed.All(verbs.Contains), $"the silo's Role grants pods [{string.Join(", ", verbs)}]; Orleans needs [{string.Join(", ", needed)}]");
    }

    [Theory]
    [MemberData(nameof(GridNames.Overlays), MemberType = typeof(GridNames))]
    public void Silo_pods_ask_prometheus_to_scrape_metrics_on_the_http_port(string overlay)
    {
        var m = Render(overlay);
        var annotations = m.SiloDeployment().PodAnnotations;
        Assert.Equal("true", annotations.GetValueOrDefault("prometheus.io/scrape"));
        Assert.Equal("/metrics", annotations.GetValueOrDefault("prometheus.io/path"));
        Assert.Equal(HttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture), annotations.GetValueOrDefault("prometheus.io/port"));
    }

    [Theory]
    [MemberData(nameof(GridNames.Overlays), MemberType = typeof(GridNames))]
    public void Services_select_pods_and_target_their_ports(string overlay)
    {
        var m = Render(overlay);
        foreach (var service in m.OfKind("Service"))
        {
            var selected = m.Selected(service.Node.Map("spec", "selector")).ToList();
            Assert.True(selected.Count > 0, $"{m.Source}: {service} selects no pod template");
            foreach (var port in service.Node.Items("spec", "ports"))
            {
                string target = port.Str("targetPort") ?? port.Str("port") ?? "";
                foreach (var workload in selected)
                {
                    Assert.True(workload.Containers.Any(c => c.ResolvePort(target) is { } p && c.Ports.Any(cp => cp.Port == p)),
                        $"{service} port {port.Str("port")} targets {target}, which no container of {workload} declares");
                }
            }
        }

        var gateway = m.Get("Service", Gateway);
        Assert.Contains(m.SiloDeployment(), m.Selected(gateway.Node.Map("spec", "selector")));
        Assert.Contains(gateway.Node.Items("spec", "ports"), p => p.Int("port") == GatewayPort
            && m.SiloContainerOf().ResolvePort(p.Str("targetPort")) == GatewayPort);
        Assert.Equal(GatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture), m.Setting("Grid__GatewayPort"));
        Assert.Equal(SiloPort.ToString(System.Globalization.CultureInfo.InvariantCulture), m.Setting("Grid__SiloPort"));
        Assert.Equal("0.0.0.0", m.Setting("Grid__GatewayListenAddress"));

        var http = m.Get("Service", HttpService);
        Assert.Contains(m.SiloDeployment(), m.Selected(http.Node.Map("spec", "selector")));
        Assert.Contains(http.Node.Items("spec", "ports"), p => m.SiloContainerOf().ResolvePort(p.Str("targetPort")) == HttpPort);
    }

    [Theory]
    [MemberData(nameof(GridNames.Overlays), MemberType = typeof(GridNames))]
    public void Redis_runs_on_its_own_volume_behind_the_service_the_silos_use(string overlay)
    {
        var m = Render(overlay);
        Assert.Equal("redis", m.Setting("Grid__Clustering"));
        string connection = m.Setting("Grid__RedisConnectionString");
        string[] hostPort = connection.Split(',')[0].Split(':');
        Assert.True(hostPort.Length == 2 && int.TryParse(hostPort[1], out _), $"Grid__RedisConnectionString={connection} is not host:port");
        var service = m.Get("Service", hostPort[0]);
        Assert.Contains(service.Node.Items("spec", "ports"), p => p.Str("port") == hostPort[1]);

        var redis = m.Selected(service.Node.Map("spec", "selector")).Single();
        Assert.Contains(redis.Kind, new[] { "StatefulSet", "Deployment" });
        var container = redis.Containers.Single();
        Assert.StartsWith("redis", LastSegment(Repository(container.Image)), StringComparison.Ordinal);
        Assert.Contains(container.Ports, p => p.Port == 6379);

        // Its data survives a restart: a claim template, or a PersistentVolumeClaim volume.
        var templates = redis.Node.Items("spec", "volumeClaimTemplates").Select(t => t.Str("metadata", "name")).ToHashSet();
        var claims = redis.PodSpec.Items("volumes").Where(v => v.At("persistentVolumeClaim") is not null).Select(v => v.Str("name")).ToHashSet();
        var mounts = container.Node.Items("volumeMounts").Select(v => v.Str("name")).ToList();
        Assert.True(mounts.Any(n => templates.Contains(n) || claims.Contains(n)), $"{redis} keeps its data on no persistent volume");
        foreach (string claim in redis.PodSpec.Items("volumes").Select(v => v.Str("persistentVolumeClaim", "claimName")).OfType<string>())
        {
            m.Get("PersistentVolumeClaim", claim);
        }

        Assert.Contains("--appendonly", container.Node.StringItems("args").Concat(container.Node.StringItems("command")));
    }

    [Theory]
    [MemberData(nameof(GridNames.Overlays), MemberType = typeof(GridNames))]
    public void Every_container_has_resource_requests_and_limits(string overlay)
    {
        var m = Render(overlay);
        foreach (var container in m.Workloads.SelectMany(w => w.AllContainers))
        {
            foreach (string kind in new[] { "requests", "limits" })
            {
                foreach (string resource in new[] { "cpu", "memory" })
                {
                    Assert.True(container.Resource(kind, resource) is not null, $"{m.Source}: {container} has no {kind}.{resource}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(GridNames.Overlays), MemberType = typeof(GridNames))]
    public void Grafana_dashboards_are_a_labelled_config_map_of_every_dashboard_file(string overlay)
    {
        var m = Render(overlay);
        var dashboards = m.OfKind("ConfigMap").Where(c => c.Node.Map("metadata", "labels").GetValueOrDefault("grafana_dashboard") == "1").ToList();
        Assert.True(dashboards.Count == 1, $"{m.Source}: expected one ConfigMap labelled grafana_dashboard: \"1\", found {dashboards.Count}");
        var data = dashboards[0].Node.Map("data");
        var files = Directory.GetFiles(Repo.PathOf("k8s/grafana"), "*.json").Select(Path.GetFileName).OfType<string>().ToList();
        Assert.NotEmpty(files);
        foreach (string file in files)
        {
            Assert.True(data.ContainsKey(file), $"k8s/grafana/{file} is not in the dashboards ConfigMap: list it in k8s/grafana/kustomization.yaml");
            using var json = System.Text.Json.JsonDocument.Parse(data[file]);
            Assert.True(json.RootElement.TryGetProperty("title", out _), $"{file} has no title");
            Assert.True(json.RootElement.TryGetProperty("panels", out var panels) && panels.ValueKind == System.Text.Json.JsonValueKind.Array,
                $"{file} has no panels");
        }
    }

    [Theory]
    [MemberData(nameof(GridNames.Overlays), MemberType = typeof(GridNames))]
    public void Submit_job_runs_a_mounted_sweep_against_the_gateway(string overlay)
    {
        var m = Render(overlay);
        var job = m.Get("Job", SubmitJob);
        var submit = job.Containers.Single();
        var args = submit.Node.StringItems("command").Concat(submit.Node.StringItems("args")).ToList();
        int run = args.IndexOf("run");
        Assert.True(run >= 0 && run + 1 < args.Count, $"{submit} does not run `grid run SPEC`: {string.Join(' ', args)}");
        int gatewayFlag = args.IndexOf("--gateway");
        Assert.True(gatewayFlag >= 0 && gatewayFlag + 1 < args.Count, $"{submit} passes no --gateway");
        Assert.Equal($"{Gateway}:{GatewayPort}", args[gatewayFlag + 1]);

        // The spec file comes from a mounted ConfigMap.
        string spec = args[run + 1];
        string directory = Path.GetDirectoryName(spec)!.Replace('\\', '/');
        var mount = submit.Mount(directory);
        Assert.True(mount is not null, $"{submit} mounts nothing at {directory} (for {spec})");
        var volume = job.PodSpec.Items("volumes").First(v => v.Str("name") == mount.Str("name"));
        string? configMap = volume.Str("configMap", "name");
        Assert.True(configMap is not null, $"{spec} is not mounted from a ConfigMap");
        Assert.True(m.Get("ConfigMap", configMap!).Node.Map("data").ContainsKey(Path.GetFileName(spec)),
            $"ConfigMap {configMap} has no {Path.GetFileName(spec)}");

        Assert.Contains(job.PodSpec.Str("restartPolicy"), new[] { "Never", "OnFailure" });
    }
}
