namespace Drydock.Pki;

public enum CheckVerdict { Pass, Warn, Fail }

/// <summary>A preflight-shaped result: verdict, the rows that caused it, and what to do.</summary>
public sealed record CertificateCheckSummary(CheckVerdict Verdict, string Message, IReadOnlyList<string> Evidence, string? Remedy);

public sealed partial record ExpirationReport
{
    public const string CheckName = "CertificateExpiry";

    public const string RenewRemedy =
        "renew with 'drydock certs renew all' (or 'kubeadm certs renew all') on every control-plane node, then restart the control-plane static pods (drydock certs renew all --restart); 'kubeadm upgrade' also renews them";

    public const string ChainRemedy =
        "a certificate that does not verify against its CA was not issued by it: restore the matching CA files, or re-issue the certificate from the CA";

    /// <summary>
    /// Folds one or more node reports (all control-plane nodes) into pass/warn/fail with evidence lines like
    /// "cp-1: apiserver: expired Jan 01, 2026 00:00 UTC". This is what the plan's preflight wraps.
    /// </summary>
    public static CertificateCheckSummary Summarize(IEnumerable<ExpirationReport> reports)
    {
        var evidence = new List<string>();
        var verdict = CheckVerdict.Pass;
        var chainBroken = false;
        var count = 0;
        foreach (var report in reports)
        {
            count++;
            foreach (var row in report.AllRows.Where(r => r.Status != CertificateStatus.Ok))
            {
                if (row.Status == CertificateStatus.Error) verdict = CheckVerdict.Fail;
                else if (verdict == CheckVerdict.Pass) verdict = CheckVerdict.Warn;
                chainBroken |= row.Entry.ChainError is not null;
                evidence.AddRange(row.Problems.Select(p => $"{report.Location}: {row.Entry.Name}: {p}"));
            }
            foreach (var note in report.Notes)
            {
                if (verdict == CheckVerdict.Pass) verdict = CheckVerdict.Warn;
                evidence.Add($"{report.Location}: {note}");
            }
        }
        var message = verdict switch
        {
            CheckVerdict.Pass => $"all certificates valid on {count} node(s)",
            CheckVerdict.Warn => "certificates need attention soon",
            _ => "certificates are expired or broken",
        };
        var remedy = verdict == CheckVerdict.Pass ? null : chainBroken ? ChainRemedy + "; " + RenewRemedy : RenewRemedy;
        return new CertificateCheckSummary(verdict, message, evidence, remedy);
    }

    public static CertificateCheckSummary Summarize(params ExpirationReport[] reports) => Summarize((IEnumerable<ExpirationReport>)reports);
}
