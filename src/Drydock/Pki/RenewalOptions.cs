namespace Drydock.Pki;

public sealed record RenewalOptions
{
    /// <summary>Validity of the new certificates (kubeadm's certificateValidityPeriod); capped at the CA's NotAfter.</summary>
    public TimeSpan Validity { get; init; } = PkiConstants.DefaultValidity;

    /// <summary>Compute and report everything, write nothing.</summary>
    public bool DryRun { get; init; }
}

/// <summary>Skipped: an optional file (super-admin.conf, 1.29+) that this node does not have.</summary>
public enum RenewalAction { Renewed, WouldRenew, Missing, Skipped, ExternalCa, Failed }

/// <summary>What happened to one certificate, with kubeadm's wording in <see cref="Message"/>.</summary>
public sealed record RenewalOutcome
{
    public required string Name { get; init; }
    public required RenewalAction Action { get; init; }
    public required string Message { get; init; }
    public DateTimeOffset? OldNotAfter { get; init; }
    public DateTimeOffset? NotAfter { get; init; }
    public string? OldSerial { get; init; }
    public string? Serial { get; init; }
    /// <summary>Files written (or that would be, in a dry run).</summary>
    public IReadOnlyList<string> Files { get; init; } = [];
    /// <summary>Backup copies made (or that would be), "&lt;file&gt;.&lt;UTC stamp&gt;.bak" next to each file.</summary>
    public IReadOnlyList<string> Backups { get; init; } = [];
    public IReadOnlyList<string> StaticPods { get; init; } = [];
}

public sealed record RenewalResult
{
    public required IReadOnlyList<RenewalOutcome> Outcomes { get; init; }
    public required bool DryRun { get; init; }
    /// <summary>Static pods that use a renewed certificate, in restart order (etcd, kube-apiserver, controller-manager, scheduler).</summary>
    public IReadOnlyList<string> PodsToRestart =>
        KubeadmCertificates.StaticPodOrder
            .Where(p => Outcomes.Any(o => o.Action is RenewalAction.Renewed or RenewalAction.WouldRenew && o.StaticPods.Contains(p)))
            .ToList();
    public bool AnyFailed => Outcomes.Any(o => o.Action == RenewalAction.Failed);
}
