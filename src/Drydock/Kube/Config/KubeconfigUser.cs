using System.Text;

namespace Drydock.Kube.Config;

/// <summary>A kubeconfig user (AuthInfo). ToString never prints a secret: only which kinds of credential are set.</summary>
public sealed record KubeconfigUser
{
    public string? ClientCertificate { get; init; }
    public string? ClientCertificateData { get; init; }
    public string? ClientKey { get; init; }
    public string? ClientKeyData { get; init; }
    public string? Token { get; init; }
    public string? TokenFile { get; init; }
    public string? Username { get; init; }
    public string? Password { get; init; }
    public KubeconfigExec? Exec { get; init; }
    public string? DefinedIn { get; init; }

    /// <summary>Names the credential kinds present (e.g. "token, client-certificate"), never their values.</summary>
    public string Describe()
    {
        var kinds = new List<string>();
        if (ClientCertificate is not null || ClientCertificateData is not null) kinds.Add("client-certificate");
        if (Token is not null) kinds.Add("token");
        if (TokenFile is not null) kinds.Add("tokenFile");
        if (Username is not null) kinds.Add("basic");
        if (Exec is not null) kinds.Add($"exec {Exec.Command}");
        return kinds.Count == 0 ? "none" : string.Join(", ", kinds);
    }

    public override string ToString() => $"KubeconfigUser {{ {Describe()} }}";

    private bool PrintMembers(StringBuilder builder) { builder.Append(Describe()); return true; }
}

/// <summary>users[].user.exec: a credential plugin (client.authentication.k8s.io/v1 or v1beta1).</summary>
public sealed record KubeconfigExec
{
    public string ApiVersion { get; init; } = "";
    public string Command { get; init; } = "";
    public IReadOnlyList<string> Args { get; init; } = [];
    /// <summary>Extra environment for the plugin. Values may be secrets: ToString prints names only.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Env { get; init; } = [];
    public bool ProvideClusterInfo { get; init; }
    /// <summary>Never, IfAvailable or Always. Drydock never gives plugins a terminal, so Always fails clearly.</summary>
    public string? InteractiveMode { get; init; }
    public string? InstallHint { get; init; }

    public override string ToString() =>
        $"KubeconfigExec {{ {ApiVersion} {Command} ({Args.Count} args) env: {string.Join(",", Env.Select(e => e.Key))} }}";

    private bool PrintMembers(StringBuilder builder) { builder.Append(Command); return true; }
}
