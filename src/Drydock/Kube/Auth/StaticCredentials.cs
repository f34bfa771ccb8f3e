using System.Net.Http.Headers;
using System.Text;

namespace Drydock.Kube.Auth;

/// <summary>A fixed bearer token or basic-auth pair from the kubeconfig. Nothing to refresh on a 401.</summary>
public sealed class StaticCredentials : IKubeCredentials
{
    private readonly AuthenticationHeaderValue _header;
    private readonly string _kind;

    private StaticCredentials(AuthenticationHeaderValue header, string kind) { _header = header; _kind = kind; }

    public static StaticCredentials Bearer(string token) => new(new AuthenticationHeaderValue("Bearer", token), "bearer token");

    public static StaticCredentials Basic(string username, string password) =>
        new(new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}"))), "basic auth");

    public ValueTask<AuthenticationHeaderValue?> GetAuthorizationAsync(CancellationToken ct) => ValueTask.FromResult<AuthenticationHeaderValue?>(_header);

    public bool Invalidate() => false;

    public override string ToString() => _kind;
}
