using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Drydock.Common;
using Drydock.Kube.Config;

namespace Drydock.Kube.Auth;

/// <summary>
/// An exec credential plugin (client.authentication.k8s.io/v1 or v1beta1 ExecCredential), as EKS, GKE and AKS
/// use: the plugin prints a token; it is cached until its expirationTimestamp and fetched again after a 401.
/// The plugin never gets a terminal (interactive: false). Its stderr is quoted when it fails; the token never is.
/// </summary>
public sealed class ExecCredentials(KubeconfigExec exec, string userName, ExecClusterInfo? cluster, TimeProvider time) : IKubeCredentials
{
    public static readonly TimeSpan PluginTimeout = TimeSpan.FromSeconds(60);
    private static readonly string[] SupportedVersions = ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"];

    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _token;
    private DateTimeOffset? _expires;

    /// <summary>How many times the plugin has run (diagnostics and tests).</summary>
    public int Runs { get; private set; }

    public async ValueTask<AuthenticationHeaderValue?> GetAuthorizationAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (_token is null || (_expires is { } e && time.GetUtcNow() >= e))
                (_token, _expires) = await RunAsync(ct);
            return new AuthenticationHeaderValue("Bearer", _token);
        }
        finally { _gate.Release(); }
    }

    public bool Invalidate()
    {
        _token = null;
        return true;
    }

    private async Task<(string Token, DateTimeOffset? Expires)> RunAsync(CancellationToken ct)
    {
        if (!SupportedVersions.Contains(exec.ApiVersion))
            throw Fail($"uses apiVersion \"{exec.ApiVersion}\"; supported are {string.Join(" and ", SupportedVersions)}", usage: true);
        if (exec.InteractiveMode == "Always")
            throw Fail("needs an interactive terminal (interactiveMode: Always), which drydock does not give plugins; log in with the plugin first", usage: true);
        var psi = new ProcessStartInfo(exec.Command)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (var a in exec.Args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in exec.Env) psi.Environment[k] = v;
        psi.Environment["KUBERNETES_EXEC_INFO"] = ExecInfo();

        using var process = new Process { StartInfo = psi };
        try { process.Start(); }
        catch (System.ComponentModel.Win32Exception ex)
        {
            var hint = exec.InstallHint is { Length: > 0 } h ? $" ({h.Trim()})" : "";
            throw Fail($"could not be started: {ex.Message}{hint}", usage: true, ex);
        }
        Runs++;
        process.StandardInput.Close();
        using var deadline = new CancellationTokenSource(PluginTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        var stdout = process.StandardOutput.ReadToEndAsync(linked.Token);
        var stderr = process.StandardError.ReadToEndAsync(linked.Token);
        try
        {
            await process.WaitForExitAsync(linked.Token);
            await Task.WhenAll(stdout, stderr);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            if (ct.IsCancellationRequested) throw;
            throw Fail($"did not finish within {PluginTimeout.TotalSeconds:0}s", usage: false);
        }
        if (process.ExitCode != 0)
        {
            var err = (await stderr).Trim();
            throw Fail($"failed with exit code {process.ExitCode}{(err.Length == 0 ? "" : ": " + OneLine(err))}", usage: false);
        }
        return Parse(await stdout);
    }

    private (string Token, DateTimeOffset? Expires) Parse(string output)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(output); }
        catch (JsonException) { throw Fail("printed something that is not an ExecCredential JSON object", usage: false); }
        using (doc)
        {
            var root = doc.RootElement;
            var apiVersion = root.TryGetProperty("apiVersion", out var av) ? av.GetString() : null;
            if (apiVersion != exec.ApiVersion)
                throw Fail($"printed an ExecCredential of apiVersion \"{apiVersion}\", but the kubeconfig asks for \"{exec.ApiVersion}\"", usage: false);
            if (!root.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.Object)
                throw Fail("printed an ExecCredential without a status", usage: false);
            if (!status.TryGetProperty("token", out var tok) || tok.GetString() is not { Length: > 0 } token)
            {
                var why = status.TryGetProperty("clientCertificateData", out _)
                    ? "returned a client certificate, which drydock does not support from exec plugins yet (only tokens)"
                    : "printed an ExecCredential without status.token";
                throw Fail(why, usage: false);
            }
            DateTimeOffset? expires = status.TryGetProperty("expirationTimestamp", out var exp) && exp.GetString() is { Length: > 0 } s
                ? DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
                : null;
            return (token, expires);
        }
    }

    /// <summary>KUBERNETES_EXEC_INFO: the ExecCredential spec the plugin may read.</summary>
    private string ExecInfo()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("kind", "ExecCredential");
            w.WriteString("apiVersion", exec.ApiVersion);
            w.WriteStartObject("spec");
            if (exec.ProvideClusterInfo && cluster is not null)
            {
                w.WriteStartObject("cluster");
                w.WriteString("server", cluster.Server);
                if (cluster.TlsServerName is not null) w.WriteString("tls-server-name", cluster.TlsServerName);
                if (cluster.InsecureSkipTlsVerify) w.WriteBoolean("insecure-skip-tls-verify", true);
                if (cluster.CertificateAuthorityData is not null) w.WriteString("certificate-authority-data", cluster.CertificateAuthorityData);
                w.WriteEndObject();
            }
            w.WriteBoolean("interactive", false);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private DrydockException Fail(string what, bool usage, Exception? inner = null)
    {
        var message = $"exec credential plugin \"{exec.Command}\" for user \"{userName}\" {what}";
        return new DrydockException(usage ? new UsageError(message) : new OperationError(message), inner);
    }

    private static string OneLine(string s)
    {
        var line = string.Join(" / ", s.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return line.Length > 500 ? line[..500] + "…" : line;
    }

    public override string ToString() => $"exec plugin {exec.Command}";
}
