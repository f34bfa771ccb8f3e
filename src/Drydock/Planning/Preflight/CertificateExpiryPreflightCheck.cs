using Drydock.Nodes;
using Drydock.Pki;

namespace Drydock.Planning.Preflight;

/// <summary>
/// Certificate expiry (issue 8) inside the plan: wraps <see cref="CertificateExpiryCheck"/> over the local PKI
/// (<c>--pki-dir</c>, when run on a control-plane node) and/or every control-plane node of the snapshot through a
/// node agent. Fail when a certificate has expired or is broken, warn under the warn threshold (30 days), and warn
/// when a certificate expires before the upgrade would reach it: <c>kubeadm upgrade apply/node</c> renews the
/// control-plane certificates, but not the CAs, and not the kubelet's client certificate when rotation is off.
/// </summary>
public sealed class CertificateExpiryPreflightCheck(
    IReadOnlyList<IPkiFileSource> localSources, INodeAgentFactory? agents, PkiLayout layout, TimeProvider time,
    TimeSpan renewalHorizon, ExpirationOptions? options = null) : IPreflightCheck
{
    /// <summary>Used as "when the upgrade renews the certificates" while the plan has no duration estimate.</summary>
    public static readonly TimeSpan DefaultRenewalHorizon = TimeSpan.FromHours(1);

    public const string NotRenewedNote =
        "kubeadm upgrade apply/node renews the control-plane certificates, but not the CAs nor the kubelet client certificate when rotation is off";

    public string Name => "certificates";

    public async ValueTask<PreflightResult> RunAsync(PreflightContext context, CancellationToken ct = default)
    {
        var sources = new List<IPkiFileSource>(localSources);
        if (agents is not null)
            sources.AddRange(context.Snapshot.ControlPlane.Select(c => new NodePkiFileStore(agents.For(c.Node))));
        var (reports, summary) = await new CertificateExpiryCheck(sources, layout, time, options).RunAsync(ct).ConfigureAwait(false);

        var evidence = new List<string>(summary.Evidence);
        var beforeRenewal = BeforeRenewal(reports).ToList();
        evidence.AddRange(beforeRenewal);
        var status = summary.Verdict switch
        {
            CheckVerdict.Fail => PreflightStatus.Fail,
            CheckVerdict.Warn => PreflightStatus.Warn,
            _ => beforeRenewal.Count > 0 ? PreflightStatus.Warn : PreflightStatus.Pass,
        };
        if (status == PreflightStatus.Pass)
            return PreflightResult.Pass(Name, $"{summary.Message} ({string.Join(", ", reports.Select(r => r.Location))})");
        var message = summary.Verdict == CheckVerdict.Pass ? $"{beforeRenewal.Count} certificate(s) expire before the upgrade would renew them" : summary.Message;
        if (beforeRenewal.Count > 0 && summary.Verdict != CheckVerdict.Pass) message += $"; {beforeRenewal.Count} expire before the upgrade would renew them";
        return new PreflightResult
        {
            Check = Name, Status = status, Summary = message, Evidence = EvidenceList.Cap(evidence),
            Remedy = (summary.Remedy ?? ExpirationReport.RenewRemedy) + "; " + NotRenewedNote,
        };
    }

    /// <summary>Still valid now, but not by the time the upgrade gets there (now + horizon).</summary>
    private IEnumerable<string> BeforeRenewal(IReadOnlyList<ExpirationReport> reports)
    {
        var now = time.GetUtcNow();
        var renewedBy = now + renewalHorizon;
        foreach (var report in reports)
        foreach (var row in report.AllRows)
        {
            if (row.Entry.NotAfter is not { } notAfter || notAfter <= now || notAfter > renewedBy) continue;
            var renewedByUpgrade = !row.Entry.IsAuthority && !row.Entry.ExternallyManaged && !report.KubeletCertificates.Contains(row);
            yield return renewedByUpgrade
                ? $"{report.Location}: {row.Entry.Name}: expires {row.Expires}, before the upgrade would renew it (about {ResidualTime.Format(renewalHorizon)} from now, --cert-renewal-horizon)"
                : $"{report.Location}: {row.Entry.Name}: expires {row.Expires}, within the upgrade window, and the upgrade does not renew it";
        }
    }
}
