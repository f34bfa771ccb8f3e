using Drydock.Common;

namespace Drydock.Versions;

/// <summary>Which sentence of the version skew policy a pair of components breaks.</summary>
public enum SkewRule
{
    /// <summary>"the newest and oldest kube-apiserver instances must be within one minor version".</summary>
    ApiserverHaWithinOneMinor,
    /// <summary>kube-controller-manager, kube-scheduler, cloud-controller-manager "must not be newer than the kube-apiserver instances they communicate with".</summary>
    ControlPlaneNotNewerThanApiserver,
    /// <summary>... "may be up to one minor version older".</summary>
    ControlPlaneAtMostOneMinorOlder,
    /// <summary>"kubelet must not be newer than kube-apiserver" (HA: than the oldest instance).</summary>
    KubeletNotNewerThanApiserver,
    /// <summary>"may be up to three minor versions older (kubelet &lt; 1.25 may only be up to two)".</summary>
    KubeletTooOld,
    /// <summary>"kube-proxy must not be newer than kube-apiserver".</summary>
    KubeProxyNotNewerThanApiserver,
    /// <summary>"may be up to three minor versions older than kube-apiserver (kube-proxy &lt; 1.25: two)".</summary>
    KubeProxyTooOld,
    /// <summary>"may be up to three minor versions older or newer than the kubelet instance it runs alongside (&lt; 1.25: two)".</summary>
    KubeProxyVsKubelet,
    /// <summary>"kubectl is supported within one minor version (older or newer) of kube-apiserver".</summary>
    KubectlWithinOneMinor,
}

/// <summary>
/// One broken pair: the component instance, the instance it was compared with, and the rule in the policy's words.
/// An expected finding, so a <see cref="DrydockError"/> (exit 1 when surfaced).
/// </summary>
public sealed record SkewViolation(SkewRule Rule, ComponentInstance Subject, ComponentInstance Reference, string RuleText)
    : DrydockError($"{Subject.Describe()} vs {Reference.Describe()}: {RuleText}");
