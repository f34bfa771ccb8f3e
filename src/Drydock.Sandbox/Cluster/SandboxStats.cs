using System.Collections.Concurrent;

namespace Drydock.Sandbox.Cluster;

/// <summary>A pod covered by a PDB was disrupted while that PDB allowed no disruption.</summary>
public sealed record PdbViolation(DateTimeOffset At, string Namespace, string Pod, string Pdb, string Via);

/// <summary>Request counts and PDB violations, for tests and benchmarks (also served at /drydock/v1/stats).</summary>
public sealed class SandboxStats
{
    private readonly ConcurrentDictionary<string, long> _requests = new(StringComparer.Ordinal);
    private readonly List<PdbViolation> _violations = [];
    private long _evictionsAccepted, _evictionsRejected, _faultsInjected;

    /// <summary>Counts by "VERB resource[/subresource]", e.g. "LIST pods", "PATCH nodes", "CREATE pods/eviction".</summary>
    public IReadOnlyDictionary<string, long> Requests => new SortedDictionary<string, long>(_requests, StringComparer.Ordinal);

    public IReadOnlyList<PdbViolation> Violations { get { lock (_violations) return _violations.ToList(); } }

    public long EvictionsAccepted => Interlocked.Read(ref _evictionsAccepted);
    public long EvictionsRejected => Interlocked.Read(ref _evictionsRejected);
    public long FaultsInjected => Interlocked.Read(ref _faultsInjected);
    public long TotalRequests => _requests.Values.Sum();

    public long Count(string verbAndResource) => _requests.GetValueOrDefault(verbAndResource);

    internal void Request(string verb, string resource) => _requests.AddOrUpdate($"{verb} {resource}", 1, (_, n) => n + 1);
    internal void Violation(PdbViolation v) { lock (_violations) _violations.Add(v); }
    internal void EvictionAccepted() => Interlocked.Increment(ref _evictionsAccepted);
    internal void EvictionRejected() => Interlocked.Increment(ref _evictionsRejected);
    internal void FaultInjected() => Interlocked.Increment(ref _faultsInjected);
}
