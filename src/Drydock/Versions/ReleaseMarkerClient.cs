using System.Net;

namespace Drydock.Versions;

/// <summary>
/// Reads Kubernetes release markers (<c>stable.txt</c>, <c>stable-1.28.txt</c>, <c>latest-1.29.txt</c>) from a base URL,
/// default https://dl.k8s.io/release as kubeadm's util/version.go. Each GET has kubeadm's 10 s budget, measured on
/// the injected clock. A missing marker (404) is "no such release" (null); other failures throw <see cref="HttpRequestException"/>.
/// </summary>
public sealed class ReleaseMarkerClient(HttpClient http, Uri baseUrl, TimeProvider time) : IAvailableVersionSource
{
    public const string DefaultBaseUrl = "https://dl.k8s.io/release";
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public string Describe => $"release markers at {baseUrl}";

    public async Task<KubeVersion?> GetAsync(string label, CancellationToken ct = default)
    {
        using var timeout = new CancellationTokenSource(Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        var url = new Uri(baseUrl.ToString().TrimEnd('/') + "/" + Uri.EscapeDataString(label) + ".txt");
        try
        {
            using var response = await http.GetAsync(url, linked.Token).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound) return null;
            response.EnsureSuccessStatusCode();
            var body = (await response.Content.ReadAsStringAsync(linked.Token).ConfigureAwait(false)).Trim();
            return KubeVersion.TryParse(body, out var error)
                ?? throw new HttpRequestException($"{url} answered \"{Truncate(body)}\", which is not a version: {error}");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new HttpRequestException($"{url} did not answer within {Timeout.TotalSeconds:0} s");
        }
    }

    /// <summary>stable-MAJOR.MINOR for each minor in range; missing markers are skipped.</summary>
    public async Task<IReadOnlyList<KubeVersion>> ListAsync(int major, int fromMinor, int toMinor, CancellationToken ct = default)
    {
        var result = new List<KubeVersion>();
        for (var minor = fromMinor; minor <= toMinor; minor++)
            if (await GetAsync($"stable-{major}.{minor}", ct).ConfigureAwait(false) is { } v) result.Add(v);
        return result;
    }

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
