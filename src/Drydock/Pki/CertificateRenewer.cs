using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Drydock.Common;

namespace Drydock.Pki;

/// <summary>
/// <c>kubeadm certs renew NAME|all</c> on one node's files: re-issue (see <see cref="CertificateReissuer"/>), back up,
/// write atomically. CAs are never renewed; a CA without its key (externally managed) refuses, as kubeadm does.
/// </summary>
public sealed class CertificateRenewer(IPkiFileStore store, PkiLayout layout, TimeProvider time)
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Public = Private | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>"all" or certificate names → specs. Unknown names are a usage error listing the valid ones.</summary>
    public static IReadOnlyList<CertificateSpec> Resolve(IReadOnlyList<string> names)
    {
        if (names.Count == 0 || names.Contains("all")) return KubeadmCertificates.Certificates;
        var unknown = names.Where(n => KubeadmCertificates.Find(n) is null).ToList();
        if (unknown.Count > 0)
            throw new DrydockException(new UsageError(
                $"unknown certificate {string.Join(", ", unknown.Select(u => $"\"{u}\""))}: use one of all, {string.Join(", ", KubeadmCertificates.Certificates.Select(c => c.Name))} (CAs are never renewed)"));
        return names.Distinct().Select(n => KubeadmCertificates.Find(n)!).ToList();
    }

    public async Task<RenewalResult> RenewAsync(IReadOnlyList<CertificateSpec> specs, RenewalOptions options, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var stamp = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var outcomes = new List<RenewalOutcome>();
        foreach (var spec in specs)
        {
            try { outcomes.Add(await RenewOneAsync(spec, options, now, stamp, ct)); }
            catch (PkiFormatException ex)
            {
                outcomes.Add(new RenewalOutcome { Name = spec.Name, Action = RenewalAction.Failed, Message = $"{spec.Name} not renewed: {ex.Message}" });
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                outcomes.Add(new RenewalOutcome { Name = spec.Name, Action = RenewalAction.Failed, Message = $"{spec.Name} not renewed: {ex.Message}" });
            }
        }
        return new RenewalResult { Outcomes = outcomes, DryRun = options.DryRun };
    }

    private async Task<RenewalOutcome?> Skip(CertificateSpec spec, string certPath, AuthoritySpec ca, CancellationToken ct)
    {
        if (!await store.ExistsAsync(certPath, ct))
            return new RenewalOutcome { Name = spec.Name, Action = RenewalAction.Missing, Message = $"MISSING! {spec.LongName}" };
        if (!await store.ExistsAsync(layout.CaKeyPath(ca), ct))
            return new RenewalOutcome
            {
                Name = spec.Name,
                Action = RenewalAction.ExternalCa,
                Message = $"Detected external {ca.BaseName}, {spec.LongName} can't be renewed",
            };
        return null;
    }

    private async Task<RenewalOutcome> RenewOneAsync(CertificateSpec spec, RenewalOptions options, DateTimeOffset now, string stamp, CancellationToken ct)
    {
        var ca = KubeadmCertificates.Authority(spec.CaName);
        var certPath = layout.CertPath(spec);
        if (spec.OnlyIfPresent && !await store.ExistsAsync(certPath, ct))
            return new RenewalOutcome { Name = spec.Name, Action = RenewalAction.Skipped, Message = $"{spec.Name} is not present (kubeadm 1.29+ creates it), skipped" };
        if (await Skip(spec, certPath, ca, ct) is { } skipped) return skipped;

        var text = await Required(certPath, ct);
        var oldPem = spec.Source == CertificateSource.Kubeconfig ? KubeconfigFile.Read(text, certPath).CertificatePem : text;
        using var old = PemCertificate.Load(oldPem, certPath);
        using var caCert = PemCertificate.LoadWithKey(
            await Required(layout.CaCertPath(ca), ct), await Required(layout.CaKeyPath(ca), ct), layout.CaCertPath(ca), layout.CaKeyPath(ca));

        var issued = CertificateReissuer.Reissue(old, caCert, now, options.Validity);
        using (var check = X509Certificate2.CreateFromPem(issued.CertificatePem))
            if (ChainVerifier.Verify(check, caCert, ca.Name) is { } chainError)
                throw new PkiFormatException($"the re-issued certificate does not verify against {layout.CaCertPath(ca)}: {chainError}");

        var writes = spec.Source == CertificateSource.Kubeconfig
            ? [(certPath, KubeconfigFile.ReplaceClientCredentials(text, certPath, issued.CertificatePem, issued.KeyPem), Private)]
            : new List<(string Path, string Content, UnixFileMode Mode)>
            {
                (certPath, issued.CertificatePem, Public),
                (layout.KeyPath(spec)!, issued.KeyPem, Private),
            };
        var backups = new List<string>();
        foreach (var (path, _, _) in writes)
        {
            if (!await store.ExistsAsync(path, ct)) continue;
            var backup = $"{path}.{stamp}.bak";
            backups.Add(backup);
            if (!options.DryRun) await store.CopyAsync(path, backup, ct);
        }
        if (!options.DryRun)
            foreach (var (path, content, mode) in writes) await store.WriteAtomicAsync(path, content, mode, ct);

        return new RenewalOutcome
        {
            Name = spec.Name,
            Action = options.DryRun ? RenewalAction.WouldRenew : RenewalAction.Renewed,
            Message = options.DryRun ? $"[dry-run] would renew {spec.LongName}" : $"{spec.LongName} renewed",
            OldNotAfter = new DateTimeOffset(old.NotAfter.ToUniversalTime(), TimeSpan.Zero),
            NotAfter = issued.NotAfter,
            OldSerial = old.SerialNumber,
            Serial = issued.Serial,
            Files = writes.Select(w => w.Item1).ToList(),
            Backups = backups,
            StaticPods = spec.StaticPods,
        };
    }

    private async Task<string> Required(string path, CancellationToken ct) =>
        await store.ReadTextAsync(path, ct) ?? throw new PkiFormatException($"{path} disappeared while renewing");
}
