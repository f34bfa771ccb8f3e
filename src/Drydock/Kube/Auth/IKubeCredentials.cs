using System.Net.Http.Headers;

namespace Drydock.Kube.Auth;

/// <summary>
/// Supplies the Authorization header of each request. Implementations cache what they can (an exec plugin's
/// credential until it expires) and never expose the secret through ToString or exception messages.
/// </summary>
public interface IKubeCredentials
{
    /// <summary>The header to send, or null to send none.</summary>
    ValueTask<AuthenticationHeaderValue?> GetAuthorizationAsync(CancellationToken ct);

    /// <summary>Called after a 401: drop any cached credential. True when a fresh one may now differ
    /// (then the client retries the request once), false when retrying cannot help.</summary>
    bool Invalidate();
}
