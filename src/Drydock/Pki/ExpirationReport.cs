namespace Drydock.Pki;

/// <summary>
/// kubeadm's check-expiration for one node, judged at "now": a row per certificate and per CA, plus the kubelet's
/// certificates. Errors: expired, unreadable, or not chaining to its CA. Warnings: under the threshold, missing,
/// not yet valid, kubelet rotation off.
/// </summary>
public sealed partial record ExpirationReport
{
    public required string Location { get; init; }
    public required DateTimeOffset Now { get; init; }
    public required TimeSpan WarnWithin { get; init; }
    public required IReadOnlyList<ExpirationRow> Certificates { get; init; }
    public required IReadOnlyList<ExpirationRow> Authorities { get; init; }
    public required IReadOnlyList<ExpirationRow> KubeletCertificates { get; init; }
    public bool? KubeletRotation { get; init; }
    /// <summary>Report-level warnings that belong to no row (kubelet rotation off, unreadable kubelet config).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    public IEnumerable<ExpirationRow> AllRows => Certificates.Concat(Authorities).Concat(KubeletCertificates);
    public bool HasErrors => AllRows.Any(r => r.Status == CertificateStatus.Error);
    public bool HasWarnings => Notes.Count > 0 || AllRows.Any(r => r.Status == CertificateStatus.Warning);

    public static ExpirationReport Create(CertificateInventory inventory, TimeProvider time, ExpirationOptions? options = null) =>
        Create(inventory, time.GetUtcNow(), options);

    public static ExpirationReport Create(CertificateInventory inventory, DateTimeOffset now, ExpirationOptions? options = null)
    {
        options ??= new ExpirationOptions();
        if (options.WarnWithin < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(options), "WarnWithin must not be negative");
        var notes = new List<string>();
        var kubelet = inventory.Kubelet;
        if (kubelet.ConfigError is not null) notes.Add(kubelet.ConfigError);
        if (kubelet.RotateCertificates == false)
            notes.Add($"{inventory.Layout.KubeletConfigPath}: rotateCertificates is off, the kubelet will not renew its client certificate (kubelet-client-current.pem) by itself");
        return new ExpirationReport
        {
            Location = inventory.Location,
            Now = now,
            WarnWithin = options.WarnWithin,
            Certificates = inventory.Certificates.Select(e => Judge(e, now, options)).ToList(),
            Authorities = inventory.Authorities.Select(e => Judge(e, now, options)).ToList(),
            KubeletCertificates = kubelet.Certificates.Select(e => Judge(e, now, options)).ToList(),
            KubeletRotation = kubelet.RotateCertificates,
            Notes = notes,
        };
    }

    internal static ExpirationRow Judge(CertificateEntry e, DateTimeOffset now, ExpirationOptions options)
    {
        switch (e.State)
        {
            case EntryState.Missing:
                return new ExpirationRow { Entry = e, Expires = "", Residual = "", Status = CertificateStatus.Warning, Problems = [$"{e.Path} is missing"] };
            case EntryState.Invalid:
                return new ExpirationRow { Entry = e, Expires = "", Residual = "", Status = CertificateStatus.Error, Problems = [e.Error ?? $"{e.Path} is unreadable"] };
        }
        var notAfter = e.NotAfter!.Value;
        var left = notAfter - now;
        var problems = new List<(CertificateStatus, string)>();
        if (left < TimeSpan.Zero) problems.Add((CertificateStatus.Error, $"expired {ResidualTime.FormatExpires(notAfter)}"));
        else if (left < options.WarnWithin) problems.Add((CertificateStatus.Warning, $"expires in {ResidualTime.Format(left)}, under the {ResidualTime.Format(options.WarnWithin)} threshold"));
        if (e.NotBefore is { } nb && nb > now) problems.Add((CertificateStatus.Warning, $"not valid before {ResidualTime.FormatExpires(nb)}"));
        if (e.ChainError is not null) problems.Add((CertificateStatus.Error, e.ChainError));
        return new ExpirationRow
        {
            Entry = e,
            Expires = ResidualTime.FormatExpires(notAfter),
            Residual = ResidualTime.Format(left),
            ResidualSeconds = (long)left.TotalSeconds,
            Status = problems.Count == 0 ? CertificateStatus.Ok : problems.Max(p => p.Item1),
            Problems = problems.Select(p => p.Item2).ToList(),
        };
    }
}
