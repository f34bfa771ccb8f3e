using System.Globalization;
using Drydock.Common;
using Drydock.Etcd;

namespace Drydock.Planning.Preflight;

/// <summary>
/// etcd health as <c>etcdctl endpoint status</c> sees it: Maintenance.Status on every given endpoint and
/// Cluster.MemberList once. Fail when an endpoint is unreachable, no member knows a leader, or a member raises an
/// alarm (NOSPACE makes etcd read-only, and the upgrade writes); warn when the database nears the default quota or a
/// member is a learner (not yet voting, so the quorum is smaller than it looks). A null client means nothing was
/// configured: the row says how to configure it and never blocks.
/// </summary>
public sealed class EtcdHealthCheck(IEtcdClient? client) : IPreflightCheck
{
    /// <summary>etcd's default --quota-backend-bytes (2 GiB); kubeadm does not change it.</summary>
    public const long DefaultQuotaBytes = 2L * 1024 * 1024 * 1024;
    /// <summary>Warn above this share of the quota: compaction + defrag need headroom.</summary>
    public const double QuotaWarnFraction = 0.8;

    public const string SkippedSummary =
        "skipped: no etcd endpoints given (use --etcd-endpoints https://127.0.0.1:2379 --etcd-cacert ... on a control-plane node or through ssh -L 2379:127.0.0.1:2379 NODE)";

    public string Name => "etcd-health";

    public async ValueTask<PreflightResult> RunAsync(PreflightContext context, CancellationToken ct = default)
    {
        if (client is null) return PreflightResult.Pass(Name, SkippedSummary);

        var evidence = new List<string>();
        var unreachable = new List<Uri>();
        var statuses = new List<EtcdStatus>();
        foreach (var endpoint in client.Endpoints)
        {
            try { statuses.Add(await client.StatusAsync(endpoint, ct).ConfigureAwait(false)); }
            catch (DrydockException e) when (e.Error is EtcdError)
            {
                unreachable.Add(endpoint);
                evidence.Add(e.Error.Message.Contains(endpoint.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal) ? e.Error.Message : $"{endpoint}: {e.Error.Message}");
            }
        }

        IReadOnlyList<EtcdMember> members = [];
        if (statuses.Count > 0)
        {
            try { members = await client.MemberListAsync(ct).ConfigureAwait(false); }
            catch (DrydockException e) when (e.Error is EtcdError) { evidence.Add($"member list failed: {e.Error.Message}"); }
        }

        var alarms = statuses.Where(s => s.Errors.Count > 0).ToList();
        var nearQuota = statuses.Where(s => s.DbSize > DefaultQuotaBytes * QuotaWarnFraction).ToList();
        var learners = statuses.Where(s => s.IsLearner).Select(s => s.Endpoint.ToString())
            .Concat(members.Where(m => m.IsLearner && !statuses.Any(s => s.MemberId == m.Id && s.IsLearner)).Select(m => $"member {m.Name}")).ToList();
        var noLeader = statuses.Count > 0 && statuses.All(s => s.Leader == 0);

        foreach (var s in statuses) evidence.Add(Describe(s));
        if (members.Count > 0)
            evidence.Add($"{members.Count} member(s): {string.Join(", ", members.Select(m => m.Name.Length == 0 ? "(unstarted)" : m.Name + (m.IsLearner ? " (learner)" : "")))}");

        PreflightStatus status;
        string summary;
        string? remedy;
        if (unreachable.Count > 0)
        {
            (status, summary) = (PreflightStatus.Fail, $"{unreachable.Count} of {client.Endpoints.Count} etcd endpoint(s) unreachable");
            remedy = "check that etcd runs on that node (crictl ps --name etcd; the etcd static pod log) and that --etcd-endpoints/--etcd-cacert/--etcd-cert/--etcd-key are right; do not upgrade with a member down";
        }
        else if (noLeader)
        {
            (status, summary) = (PreflightStatus.Fail, "etcd has no leader");
            remedy = "the cluster has lost quorum: restore quorum (start the stopped members, or restore from a snapshot) before upgrading";
        }
        else if (alarms.Count > 0)
        {
            (status, summary) = (PreflightStatus.Fail, $"etcd alarm(s) raised: {string.Join(", ", alarms.SelectMany(a => a.Errors).Distinct())}");
            remedy = "compact and defragment etcd, then 'etcdctl alarm disarm'; an etcd with NOSPACE accepts no writes";
        }
        else if (nearQuota.Count > 0 || learners.Count > 0)
        {
            status = PreflightStatus.Warn;
            summary = nearQuota.Count > 0
                ? $"etcd database at {Percent(nearQuota.Max(s => s.DbSize))} of the 2 GiB default quota"
                : $"{learners.Count} etcd learner(s): {string.Join(", ", learners)}";
            remedy = nearQuota.Count > 0
                ? "compact and defragment etcd (etcdctl compact, etcdctl defrag) before the upgrade adds revisions"
                : "promote the learner (etcdctl member promote ID) or remove it before upgrading";
        }
        else
        {
            var leader = statuses.FirstOrDefault(s => s.IsLeader);
            (status, summary, remedy) = (PreflightStatus.Pass,
                $"{statuses.Count} etcd endpoint(s) healthy, leader {(leader is null ? HexId(statuses[0].Leader) : leader.Endpoint.ToString())}", null);
        }
        return new PreflightResult { Check = Name, Status = status, Summary = summary, Evidence = EvidenceList.Cap(evidence), Remedy = remedy };
    }

    private static string Describe(EtcdStatus s) =>
        $"{s.Endpoint}: etcd {s.Version}, {(s.IsLeader ? "leader" : s.IsLearner ? "learner" : "follower")}, db {Size(s.DbSize)} ({Percent(s.DbSize)} of quota), raft term {s.RaftTerm}" +
        (s.Errors.Count > 0 ? $", alarms: {string.Join(", ", s.Errors)}" : "");

    private static string Percent(long bytes) => Math.Round(100.0 * bytes / DefaultQuotaBytes).ToString(CultureInfo.InvariantCulture) + "%";

    private static string HexId(ulong id) => id.ToString("x", CultureInfo.InvariantCulture);

    private static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => (bytes / (double)(1L << 30)).ToString("0.0", CultureInfo.InvariantCulture) + " GiB",
        >= 1L << 20 => (bytes / (double)(1L << 20)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
        >= 1L << 10 => (bytes / (double)(1L << 10)).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " B",
    };
}
