using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Drydock.Common;
using Drydock.Kube.Auth;

namespace Drydock.Kube.Config;

/// <summary>
/// Picks a context (--context, else current-context) and turns it into a <see cref="KubeConnection"/>:
/// reads certificate files, decodes -data fields, chooses credentials. Every problem is one <see cref="UsageError"/>
/// line naming the kubeconfig, the context and what to do.
/// </summary>
public static class KubeconfigResolver
{
    public static KubeConnection Resolve(Kubeconfig config, string? contextName, TimeProvider time)
    {
        var available = config.Contexts.Count == 0 ? "it defines none" : "available: " + string.Join(", ", config.Contexts.Keys.Order(StringComparer.Ordinal));
        var name = !string.IsNullOrEmpty(contextName) ? contextName
            : config.CurrentContext ?? throw Usage($"kubeconfig {config.Source} has no current-context; pass --context NAME ({available})");
        if (!config.Contexts.TryGetValue(name, out var context))
            throw Usage($"context \"{name}\" is not in kubeconfig {config.Source}; pass --context with an existing one ({available})");
        if (string.IsNullOrEmpty(context.Cluster))
            throw Usage($"context \"{name}\" in kubeconfig {config.Source} names no cluster; set its cluster: field");
        if (!config.Clusters.TryGetValue(context.Cluster, out var cluster))
            throw Usage($"context \"{name}\" in kubeconfig {config.Source} names cluster \"{context.Cluster}\", which is not defined; add it under clusters: or pick another --context");
        KubeconfigUser user = new();
        if (!string.IsNullOrEmpty(context.User) && !config.Users.TryGetValue(context.User, out user!))
            throw Usage($"context \"{name}\" in kubeconfig {config.Source} names user \"{context.User}\", which is not defined; add it under users: or pick another --context");

        var where = $"cluster \"{context.Cluster}\" (kubeconfig {config.Source})";
        if (string.IsNullOrEmpty(cluster.Server))
            throw Usage($"{where} has no server; set its server: URL");
        if (!Uri.TryCreate(cluster.Server, UriKind.Absolute, out var server) || server.Scheme is not ("https" or "http"))
            throw Usage($"{where} has server \"{cluster.Server}\", which is not an http(s) URL; fix its server: field");

        var userWhere = $"user \"{context.User}\" (kubeconfig {config.Source})";
        var tls = new KubeTlsSettings
        {
            InsecureSkipTlsVerify = cluster.InsecureSkipTlsVerify,
            ServerName = cluster.TlsServerName,
            CaCertificates = LoadCa(cluster, where),
            ClientCertificate = LoadClientCertificate(user, userWhere),
        };
        return new KubeConnection
        {
            Server = server,
            Tls = tls,
            Credentials = Credentials(user, context.User ?? "", cluster, server, time, userWhere),
            Namespace = string.IsNullOrEmpty(context.Namespace) ? "default" : context.Namespace,
            ContextName = name,
            Source = config.Source,
        };
    }

    private static IKubeCredentials? Credentials(KubeconfigUser user, string userName, KubeconfigCluster cluster, Uri server, TimeProvider time, string where)
    {
        // client-go's precedence: token, then tokenFile, then basic, then exec.
        if (!string.IsNullOrEmpty(user.Token)) return StaticCredentials.Bearer(user.Token);
        if (!string.IsNullOrEmpty(user.TokenFile))
        {
            if (!File.Exists(user.TokenFile)) throw Usage($"{where} has tokenFile {user.TokenFile}, which does not exist; fix the path");
            return new TokenFileCredentials(user.TokenFile, time);
        }
        if (!string.IsNullOrEmpty(user.Username)) return StaticCredentials.Basic(user.Username, user.Password ?? "");
        if (user.Exec is { } exec)
        {
            if (string.IsNullOrEmpty(exec.Command)) throw Usage($"{where} has an exec plugin without a command; set exec.command");
            var info = new ExecClusterInfo
            {
                Server = server.ToString(), TlsServerName = cluster.TlsServerName, InsecureSkipTlsVerify = cluster.InsecureSkipTlsVerify,
                CertificateAuthorityData = cluster.CertificateAuthorityData
                    ?? (cluster.CertificateAuthority is { } ca && File.Exists(ca) ? Convert.ToBase64String(File.ReadAllBytes(ca)) : null),
            };
            return new ExecCredentials(exec, userName, info, time);
        }
        return null;
    }

    private static X509Certificate2Collection? LoadCa(KubeconfigCluster cluster, string where)
    {
        string? pem = null;
        if (!string.IsNullOrEmpty(cluster.CertificateAuthorityData)) pem = Decode(cluster.CertificateAuthorityData, "certificate-authority-data", where);
        else if (!string.IsNullOrEmpty(cluster.CertificateAuthority)) pem = ReadFile(cluster.CertificateAuthority, "certificate-authority", where);
        if (pem is null) return null;
        var roots = new X509Certificate2Collection();
        try { roots.ImportFromPem(pem); }
        catch (CryptographicException ex) { throw Usage($"{where} has a certificate authority that is not a PEM certificate ({ex.Message}); fix certificate-authority", ex); }
        if (roots.Count == 0) throw Usage($"{where} has a certificate authority with no PEM certificate in it; fix certificate-authority");
        return roots;
    }

    private static X509Certificate2? LoadClientCertificate(KubeconfigUser user, string where)
    {
        var certPem = !string.IsNullOrEmpty(user.ClientCertificateData) ? Decode(user.ClientCertificateData, "client-certificate-data", where)
            : !string.IsNullOrEmpty(user.ClientCertificate) ? ReadFile(user.ClientCertificate, "client-certificate", where) : null;
        var keyPem = !string.IsNullOrEmpty(user.ClientKeyData) ? Decode(user.ClientKeyData, "client-key-data", where)
            : !string.IsNullOrEmpty(user.ClientKey) ? ReadFile(user.ClientKey, "client-key", where) : null;
        if (certPem is null && keyPem is null) return null;
        if (certPem is null || keyPem is null)
            throw Usage($"{where} has a client {(certPem is null ? "key" : "certificate")} without its {(certPem is null ? "certificate" : "key")}; set both");
        try
        {
            // PKCS#1 "RSA PRIVATE KEY", SEC1 "EC PRIVATE KEY" and PKCS#8 "PRIVATE KEY" all load here. The PKCS#12
            // round trip gives SslStream a key it can use on every platform.
            using var ephemeral = X509Certificate2.CreateFromPem(certPem, keyPem);
            return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
        }
        catch (CryptographicException ex)
        {
            throw Usage($"{where} has a client certificate and key that cannot be loaded ({ex.Message}); check that they are PEM and belong together", ex);
        }
    }

    private static string ReadFile(string path, string field, string where)
    {
        try { return File.ReadAllText(path); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Usage($"{where}: cannot read {field} {path} ({ex.Message}); fix the path or its permissions", ex);
        }
    }

    private static string Decode(string base64, string field, string where)
    {
        try { return Encoding.UTF8.GetString(Convert.FromBase64String(base64.Trim())); }
        catch (FormatException ex) { throw Usage($"{where} has {field} that is not base64; re-encode it with base64 -w0", ex); }
    }

    private static DrydockException Usage(string message, Exception? inner = null) => new(new UsageError(message), inner);
}
