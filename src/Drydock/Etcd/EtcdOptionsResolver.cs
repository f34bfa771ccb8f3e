using Drydock.Common;

namespace Drydock.Etcd;

/// <summary>
/// Turns flags + environment into <see cref="EtcdOptions"/> the way etcdctl does: a flag wins over ETCDCTL_*, which
/// wins over the default. Defaults are kubeadm's control-plane files, used only when they exist. Every problem is
/// reported in one <see cref="UsageError"/>.
/// </summary>
public static class EtcdOptionsResolver
{
    public static EtcdOptions Resolve(EtcdOptionsInput input, Func<string, string?> getEnv, Func<string, bool>? fileExists = null)
    {
        fileExists ??= File.Exists;
        var problems = new List<string>();

        var caCert = Pick(input.CaCert, getEnv(EtcdConstants.EnvCaCert));
        var cert = Pick(input.Cert, getEnv(EtcdConstants.EnvCert));
        var key = Pick(input.Key, getEnv(EtcdConstants.EnvKey));
        var tlsGiven = caCert is not null || cert is not null || key is not null;

        var endpointsText = Pick(input.Endpoints, getEnv(EtcdConstants.EnvEndpoints)) ?? EtcdConstants.DefaultEndpoint;
        var endpoints = new List<Uri>();
        foreach (var raw in endpointsText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // etcdctl accepts bare host:port; it speaks TLS to it only when TLS material was given.
            var text = raw.Contains("://", StringComparison.Ordinal) ? raw : (tlsGiven ? "https://" : "http://") + raw;
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Port > 0)
                endpoints.Add(new Uri(uri.GetLeftPart(UriPartial.Authority)));
            else
                problems.Add($"invalid endpoint \"{raw}\" (want http(s)://HOST:PORT)");
        }
        if (endpoints.Count == 0 && problems.Count == 0) problems.Add("no endpoint given (--endpoints or ETCDCTL_ENDPOINTS)");

        if (endpoints.Any(e => e.Scheme == Uri.UriSchemeHttps))
        {
            if (caCert is null)
            {
                if (fileExists(EtcdConstants.DefaultCaCert)) caCert = EtcdConstants.DefaultCaCert;
                else problems.Add($"no CA certificate for the https endpoint: {EtcdConstants.DefaultCaCert} not found; pass --cacert (or set {EtcdConstants.EnvCaCert})");
            }
            if (cert is null && key is null)
            {
                if (fileExists(EtcdConstants.DefaultCert) && fileExists(EtcdConstants.DefaultKey)) (cert, key) = (EtcdConstants.DefaultCert, EtcdConstants.DefaultKey);
                else if (fileExists(EtcdConstants.FallbackCert) && fileExists(EtcdConstants.FallbackKey)) (cert, key) = (EtcdConstants.FallbackCert, EtcdConstants.FallbackKey);
            }
        }
        if ((cert is null) != (key is null))
            problems.Add(cert is null ? "--key given without --cert: pass both" : "--cert given without --key: pass both");
        foreach (var (flag, path) in new[] { ("--cacert", caCert), ("--cert", cert), ("--key", key) })
            if (path is not null && !fileExists(path)) problems.Add($"{flag} file {path} not found");

        var dial = ParseTimeout("--dial-timeout", Pick(input.DialTimeout, getEnv(EtcdConstants.EnvDialTimeout)), EtcdConstants.DefaultDialTimeout, problems);
        var command = ParseTimeout("--command-timeout", Pick(input.CommandTimeout, getEnv(EtcdConstants.EnvCommandTimeout)), EtcdConstants.DefaultCommandTimeout, problems);

        if (problems.Count > 0) throw new DrydockException(new UsageError(string.Join("; ", problems)));
        return new EtcdOptions { Endpoints = endpoints, CaCertFile = caCert, CertFile = cert, KeyFile = key, DialTimeout = dial, CommandTimeout = command };
    }

    private static string? Pick(string? flag, string? env) =>
        !string.IsNullOrWhiteSpace(flag) ? flag.Trim() : !string.IsNullOrWhiteSpace(env) ? env.Trim() : null;

    private static TimeSpan ParseTimeout(string flag, string? text, TimeSpan fallback, List<string> problems)
    {
        if (text is null) return fallback;
        if (GoDuration.TryParse(text, out var value) && value > TimeSpan.Zero) return value;
        problems.Add($"{flag} \"{text}\" is not a positive duration (e.g. 5s, 1m30s)");
        return fallback;
    }
}
