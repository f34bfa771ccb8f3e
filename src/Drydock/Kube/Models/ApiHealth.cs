namespace Drydock.Kube.Models;

/// <summary>
/// The answer of GET /readyz?verbose (or /livez): the API server's own health checks, one line each —
/// <c>[+]etcd ok</c>, <c>[-]etcd failed: reason withheld</c> — and a final verdict. 200 means every check passed.
/// </summary>
public sealed record ApiHealth
{
    /// <summary>"readyz" or "livez".</summary>
    public required string Endpoint { get; init; }
    public required int StatusCode { get; init; }
    public bool Ok => StatusCode == 200;
    public IReadOnlyList<string> Passed { get; init; } = [];
    /// <summary>Failing checks as the server names them, with its reason ("etcd failed: reason withheld").</summary>
    public IReadOnlyList<string> Failed { get; init; } = [];

    /// <summary>Reads the verbose text body; lines that are not check lines are ignored.</summary>
    public static ApiHealth Parse(string endpoint, int statusCode, string body)
    {
        var passed = new List<string>();
        var failed = new List<string>();
        foreach (var raw in body.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("[+]", StringComparison.Ordinal)) passed.Add(Name(line[3..]));
            else if (line.StartsWith("[-]", StringComparison.Ordinal)) failed.Add(line[3..].Trim());
        }
        return new ApiHealth { Endpoint = endpoint, StatusCode = statusCode, Passed = passed, Failed = failed };
    }

    // "[+]etcd ok" → "etcd"; "[+]poststarthook/rbac/bootstrap-roles ok" → that hook's name.
    private static string Name(string rest) => rest.EndsWith(" ok", StringComparison.Ordinal) ? rest[..^3].Trim() : rest.Trim();
}
