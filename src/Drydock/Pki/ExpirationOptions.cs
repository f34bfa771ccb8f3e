namespace Drydock.Pki;

/// <summary>Thresholds for <see cref="ExpirationReport"/>.</summary>
public sealed record ExpirationOptions
{
    /// <summary>Warn when less than this is left. Must be zero or more.</summary>
    public TimeSpan WarnWithin { get; init; } = TimeSpan.FromDays(PkiConstants.DefaultWarnDays);
}

public enum CertificateStatus { Ok, Warning, Error }

/// <summary>One judged row: the entry plus kubeadm's columns and Drydock's verdict with its reasons.</summary>
public sealed record ExpirationRow
{
    public required CertificateEntry Entry { get; init; }
    /// <summary>EXPIRES as kubeadm prints it; empty for missing or unreadable files.</summary>
    public required string Expires { get; init; }
    /// <summary>RESIDUAL TIME (ShortHumanDuration); empty for missing or unreadable files.</summary>
    public required string Residual { get; init; }
    public long? ResidualSeconds { get; init; }
    public required CertificateStatus Status { get; init; }
    public IReadOnlyList<string> Problems { get; init; } = [];
}
