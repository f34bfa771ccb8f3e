using System.Security.Cryptography.X509Certificates;
using Drydock.Common;
using Drydock.Kube.Auth;

namespace Drydock.Kube.Config;

/// <summary>
/// In-cluster config, as client-go's rest.InClusterConfig: KUBERNETES_SERVICE_HOST/PORT, the service-account
/// token (re-read, so projected-token rotation works) and ca.crt under <see cref="DefaultServiceAccountDir"/>.
/// </summary>
public static class InClusterConfig
{
    public const string DefaultServiceAccountDir = "/var/run/secrets/kubernetes.io/serviceaccount";

    public static bool IsAvailable(Func<string, string?> getEnv) =>
        !string.IsNullOrEmpty(getEnv("KUBERNETES_SERVICE_HOST")) && !string.IsNullOrEmpty(getEnv("KUBERNETES_SERVICE_PORT"));

    public static KubeConnection Load(Func<string, string?> getEnv, TimeProvider time, string serviceAccountDir = DefaultServiceAccountDir)
    {
        var host = getEnv("KUBERNETES_SERVICE_HOST");
        var port = getEnv("KUBERNETES_SERVICE_PORT");
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(port))
            throw Usage("not running in a cluster (KUBERNETES_SERVICE_HOST/PORT unset); pass --kubeconfig");
        if (host.Contains(':') && !host.StartsWith('[')) host = $"[{host}]";
        var tokenPath = Path.Combine(serviceAccountDir, "token");
        if (!File.Exists(tokenPath)) throw Usage($"in-cluster config: service-account token {tokenPath} does not exist; mount a service account or pass --kubeconfig");
        var caPath = Path.Combine(serviceAccountDir, "ca.crt");
        X509Certificate2Collection? roots = null;
        if (File.Exists(caPath))
        {
            roots = [];
            roots.ImportFromPemFile(caPath);
        }
        var nsPath = Path.Combine(serviceAccountDir, "namespace");
        var ns = File.Exists(nsPath) ? File.ReadAllText(nsPath).Trim() : "";
        return new KubeConnection
        {
            Server = new Uri($"https://{host}:{port}"),
            Tls = new KubeTlsSettings { CaCertificates = roots },
            Credentials = new TokenFileCredentials(tokenPath, time),
            Namespace = ns.Length == 0 ? "default" : ns,
            ContextName = "in-cluster",
            Source = serviceAccountDir,
        };
    }

    private static DrydockException Usage(string message) => new(new UsageError(message));
}
