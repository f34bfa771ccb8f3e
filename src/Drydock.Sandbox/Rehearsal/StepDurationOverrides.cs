using Drydock.Common;

namespace Drydock.Sandbox.Rehearsal;

/// <summary>
/// Step durations the operator knows for their own fleet (`--step-duration kubeadm-node=45s`), laid over a profile.
/// A duration the operator states is not uncertain, so it replaces the value in the low and high profiles too: the
/// range then spreads only over what was left to the profile.
/// </summary>
public sealed record StepDurationOverrides
{
    public static StepDurationOverrides None { get; } = new();

    /// <summary>The step names the flag accepts, in the order help lists them.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["install-packages", "switch-repository", "kubeadm-plan", "kubeadm-apply", "kubeadm-node", "kubelet-restart", "pod-start"];

    public IReadOnlyDictionary<string, TimeSpan> Values { get; init; } = new Dictionary<string, TimeSpan>();

    public bool IsEmpty => Values.Count == 0;

    /// <summary>Parses <c>name=duration</c> items (Go durations). Returns an error line instead of throwing.</summary>
    public static bool TryParse(IEnumerable<string> items, out StepDurationOverrides overrides, out string error)
    {
        var values = new SortedDictionary<string, TimeSpan>(StringComparer.Ordinal);
        overrides = None;
        error = "";
        foreach (var item in items)
        {
            var eq = item.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                error = $"{item}: expected NAME=DURATION, e.g. kubeadm-node=45s (names: {string.Join(", ", Names)})";
                return false;
            }
            var name = item[..eq].Trim().ToLowerInvariant();
            var text = item[(eq + 1)..].Trim();
            if (!Names.Contains(name))
            {
                error = $"{item}: unknown step {name} (names: {string.Join(", ", Names)})";
                return false;
            }
            if (!GoDuration.TryParse(text, out var d, out _) || d < TimeSpan.Zero)
            {
                error = $"{item}: {text} is not a duration (e.g. 45s, 2m30s)";
                return false;
            }
            values[name] = d;
        }
        overrides = values.Count == 0 ? None : new StepDurationOverrides { Values = values };
        return true;
    }

    /// <summary>The profile with these durations in place; its name says that it was changed.</summary>
    public RehearsalProfile Apply(RehearsalProfile profile)
    {
        if (IsEmpty) return profile;
        TimeSpan V(string name, TimeSpan fallback) => Values.TryGetValue(name, out var d) ? d : fallback;
        return profile with
        {
            Name = $"{profile.Name} ({string.Join(", ", Values.Select(kv => $"{kv.Key}={GoDuration.Format(kv.Value)}"))})",
            InstallPackages = V("install-packages", profile.InstallPackages),
            SwitchRepository = V("switch-repository", profile.SwitchRepository),
            KubeadmPlan = V("kubeadm-plan", profile.KubeadmPlan),
            KubeadmApply = V("kubeadm-apply", profile.KubeadmApply),
            KubeadmNode = V("kubeadm-node", profile.KubeadmNode),
            KubeletRestart = V("kubelet-restart", profile.KubeletRestart),
            PodStart = V("pod-start", profile.PodStart),
        };
    }
}
