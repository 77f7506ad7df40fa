using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grid.Client.Cluster;
using Grid.Cluster.Tests.Support;
using Grid.Silo;
using Grid.Silo.Clustering;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Grid.Cluster.Tests;

/// <summary>
/// With Grid:Tls:CertificatePath set, silos talk to each other and to clients over TLS: two silo processes form a
/// cluster (they must reach each other to join), a client with the certificate works, a client without it is refused.
/// </summary>
public sealed class TlsClusterTests(ITestOutputHelper output) : IDisposable
{
    private const string Password = "grid-test";
    private readonly string _certificates = Path.Combine(Path.GetTempPath(), "grid-cluster-tests", "tls-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose() => Directory.Delete(_certificates, recursive: true);

    [Fact]
    public async Task Silos_and_clients_use_tls_when_a_certificate_is_configured_and_refuse_clients_without_it()
    {
        string pfx = WriteSelfSignedCertificate();
        await using var cluster = await GridProcessCluster.StartAsync(output, silos: 2, environment =>
        {
            environment["Grid__Tls__CertificatePath"] = pfx;
            environment["Grid__Tls__CertificatePassword"] = Password;
            environment["Grid__Tls__AllowAnyRemoteCertificate"] = "true";
        });
        try
        {
            var tls = new GridHostOptions { Tls = new GridTlsOptions { CertificatePath = pfx, CertificatePassword = Password, AllowAnyRemoteCertificate = true } };
            using (var client = await ConnectAsync(ClusterTarget.Parse(cluster.RedisGateway, tls)))
            {
                var sweeps = await client.Services.GetRequiredService<IClusterClient>().GetGrain<ISweepCatalogGrain>(GrainKeys.Singleton).List();
                Assert.Empty(sweeps);
                cluster.Log("a client with the certificate reached the catalog over TLS");
                await client.StopAsync();
            }

            var refused = await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync(ClusterTarget.Parse(cluster.RedisGateway, new GridHostOptions())));
            cluster.Log($"a client without TLS was refused: {refused.GetType().Name}: {refused.Message.Split('\n')[0]}");
        }
        catch
        {
            cluster.DumpLogs();
            throw;
        }
    }

    private static async Task<IHost> ConnectAsync(ClusterTarget target)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(client =>
        {
            target.Configure(client);
            client.UseConnectionRetryFilter((_, _) => Task.FromResult(false));
        });
        var host = builder.Build();
        try
        {
            await host.StartAsync(new CancellationTokenSource(ProgressWait.EventBound).Token);
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    private string WriteSelfSignedCertificate()
    {
        Directory.CreateDirectory(_certificates);
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=grid-cluster-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false)); // server and client authentication
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        string path = Path.Combine(_certificates, "grid.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, Password));
        return path;
    }
}
