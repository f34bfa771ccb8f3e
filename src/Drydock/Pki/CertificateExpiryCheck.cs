namespace Drydock.Pki;

/// <summary>
/// Reads and judges every control-plane node's certificates (one source per node), for the CLI and for the plan's
/// preflight: wrap <see cref="RunAsync"/> in an IPreflightCheck and map <see cref="CertificateCheckSummary"/> to it.
/// </summary>
public sealed class CertificateExpiryCheck(IReadOnlyList<IPkiFileSource> sources, PkiLayout layout, TimeProvider time, ExpirationOptions? options = null)
{
    public async Task<(IReadOnlyList<ExpirationReport> Reports, CertificateCheckSummary Summary)> RunAsync(CancellationToken ct = default)
    {
        var reports = new List<ExpirationReport>();
        foreach (var source in sources)
        {
            var snapshot = await PkiSnapshotReader.ReadAsync(source, layout, ct);
            reports.Add(ExpirationReport.Create(CertificateInventory.Build(snapshot), time, options));
        }
        return (reports, ExpirationReport.Summarize(reports));
    }
}
