using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;

namespace Grid.Silo.Clustering;

/// <summary>
/// TLS between silos and between clients and gateways (Grid:Tls:*): off unless <see cref="CertificatePath"/> is set.
/// Every silo and every client presents the certificate and requires one from the other side (mutual TLS).
/// </summary>
public sealed class GridTlsOptions
{
    /// <summary>PKCS#12 (.pfx/.p12) file, or a PEM certificate (with <see cref="KeyPath"/>); empty = no TLS.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>Password of the PKCS#12 file (or of an encrypted PEM key).</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>PEM private key of a PEM <see cref="CertificatePath"/>.</summary>
    public string? KeyPath { get; set; }

    /// <summary>
    /// Accept any certificate the other side presents (a self-signed certificate shared by the cluster). False: the
    /// other side's certificate must chain to a root this machine trusts.
    /// </summary>
    public bool AllowAnyRemoteCertificate { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(CertificatePath);
}

/// <summary>Loads the grid's TLS certificate and applies <see cref="GridTlsOptions"/> to Orleans' <see cref="TlsOptions"/>.</summary>
public static class GridTls
{
    public static X509Certificate2 LoadCertificate(GridTlsOptions options)
    {
        string path = options.CertificatePath ?? throw new ArgumentException("Grid:Tls:CertificatePath is not set");
        if (!File.Exists(path))
        {
            throw new ArgumentException($"Grid:Tls:CertificatePath: no file {Path.GetFullPath(path)}");
        }

        try
        {
            if (!string.IsNullOrWhiteSpace(options.KeyPath))
            {
                return string.IsNullOrEmpty(options.CertificatePassword)
                    ? X509Certificate2.CreateFromPemFile(path, options.KeyPath)
                    : X509Certificate2.CreateFromEncryptedPemFile(path, options.CertificatePassword, options.KeyPath);
            }

            return X509CertificateLoader.LoadPkcs12FromFile(path, options.CertificatePassword, X509KeyStorageFlags.Exportable);
        }
        catch (System.Security.Cryptography.CryptographicException error)
        {
            throw new ArgumentException($"Grid:Tls: cannot load the certificate {path}{(options.KeyPath is null ? "" : $" with key {options.KeyPath}")}: {error.Message}", error);
        }
    }

    public static void Apply(TlsOptions tls, GridTlsOptions options, X509Certificate2 certificate)
    {
        tls.LocalCertificate = certificate;
        tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        if (options.AllowAnyRemoteCertificate)
        {
            tls.AllowAnyRemoteCertificate();
        }
    }
}
