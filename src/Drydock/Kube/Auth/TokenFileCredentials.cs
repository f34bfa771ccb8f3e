using System.Net.Http.Headers;
using Drydock.Common;

namespace Drydock.Kube.Auth;

/// <summary>
/// A bearer token read from a file (tokenFile, or the in-cluster service-account token), re-read every minute
/// as client-go does, and at once after a 401, so a rotated token is picked up.
/// </summary>
public sealed class TokenFileCredentials(string path, TimeProvider time) : IKubeCredentials
{
    public static readonly TimeSpan RereadAfter = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private string? _token;
    private DateTimeOffset _readAt;

    public string Path { get; } = path;

    public ValueTask<AuthenticationHeaderValue?> GetAuthorizationAsync(CancellationToken ct)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (_token is null || now - _readAt >= RereadAfter)
            {
                _token = Read();
                _readAt = now;
            }
            return ValueTask.FromResult<AuthenticationHeaderValue?>(new AuthenticationHeaderValue("Bearer", _token));
        }
    }

    public bool Invalidate()
    {
        lock (_gate) _token = null;
        return true;
    }

    private string Read()
    {
        try
        {
            var token = File.ReadAllText(Path).Trim();
            if (token.Length == 0) throw new DrydockException(new UsageError($"token file {Path} is empty; write the bearer token into it"));
            return token;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DrydockException(new UsageError($"token file {Path} cannot be read ({ex.Message}); fix tokenFile in the kubeconfig"), ex);
        }
    }

    public override string ToString() => $"token file {Path}";
}
