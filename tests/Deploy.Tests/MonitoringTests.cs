using Grid.Deploy.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Grid.Deploy.Tests;

/// <summary>
/// The Prometheus scrape config example and the optional manifests. (Debian's promtool is built without Kubernetes
/// service discovery, so the config is checked structurally here.)
/// </summary>
public class MonitoringTests
{
    [Fact]
    public void Scrape_config_keeps_annotated_pods_and_takes_their_path_and_port()
    {
        var config = Yaml.LoadDocuments(Repo.Read("k8s/prometheus/scrape-config.yaml"), "scrape-config.yaml").Single();
        var job = config.Items("scrape_configs").FirstOrDefault(j => j.Str("job_name") == "grid-silos");
        Assert.True(job is not null, "scrape-config.yaml has no job grid-silos (the dashboard selects job=\"grid-silos\")");
        var discovery = job.Items("kubernetes_sd_configs").FirstOrDefault();
        Assert.Equal("pod", discovery.Str("role"));

        string overlayNamespace = GridNames.Render("cpu").SiloDeployment().Namespace ?? "";
        var namespaces = discovery.StringItems("namespaces", "names").ToList();
        Assert.True(namespaces.Count == 0 || namespaces.Contains(overlayNamespace),
            $"the scrape config watches namespaces [{string.Join(", ", namespaces)}], not the overlays' {overlayNamespace}");

        var rules = job.Items("relabel_configs").ToList();
        Assert.Contains(rules, r => r.StringItems("source_labels").Contains("__meta_kubernetes_pod_annotation_prometheus_io_scrape")
            && r.Str("action") == "keep" && r.Str("regex") == "true");
        Assert.Contains(rules, r => r.StringItems("source_labels").Contains("__meta_kubernetes_pod_annotation_prometheus_io_path")
            && r.Str("target_label") == "__metrics_path__");
        Assert.Contains(rules, r => r.StringItems("source_labels").Contains("__meta_kubernetes_pod_annotation_prometheus_io_port")
            && r.Str("target_label") == "__address__");
    }

    [Fact]
    public void Service_monitor_is_optional_and_targets_the_http_service_port()
    {
        var monitor = Yaml.LoadDocuments(Repo.Read("k8s/optional/servicemonitor.yaml"), "servicemonitor.yaml").Single();
        Assert.Equal("ServiceMonitor", monitor.Str("kind"));
        var m = GridNames.Render("cpu");
        var http = m.Get("Service", GridNames.HttpService);
        var selector = monitor.Map("spec", "selector", "matchLabels");
        var labels = http.Node.Map("metadata", "labels");
        Assert.True(selector.All(kv => labels.GetValueOrDefault(kv.Key) == kv.Value),
            $"the ServiceMonitor selects [{string.Join(", ", selector)}], which Service {GridNames.HttpService} does not carry");
        var endpoint = monitor.Items("spec", "endpoints").Single();
        Assert.Equal("/metrics", endpoint.Str("path"));
        Assert.Contains(http.Node.Items("spec", "ports"), p => p.Str("name") == endpoint.Str("port"));
    }

    [Fact]
    public void Data_loader_mounts_the_data_claim_writable()
    {
        var pod = Yaml.LoadDocuments(Repo.Read("k8s/optional/data-loader.yaml"), "data-loader.yaml").Single();
        var m = GridNames.Render("cpu");
        var loader = new K8sObject("Pod", pod.Str("metadata", "name") ?? "", null, pod);
        string? claim = loader.PodSpec.Items("volumes").Select(v => v.Str("persistentVolumeClaim", "claimName")).OfType<string>().Single();
        Assert.Equal(m.SiloDeployment().PodSpec.Items("volumes").Select(v => v.Str("persistentVolumeClaim", "claimName"))
            .Single(c => c == claim), claim);
        var mount = loader.Containers.Single().Mount("/data");
        Assert.True(mount is not null && !mount.Bool("readOnly"));
    }
}
