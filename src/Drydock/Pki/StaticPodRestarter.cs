using Drydock.Kube;
using Drydock.Kube.Models;
using Drydock.Nodes;

namespace Drydock.Pki;

public sealed record StaticPodRestartOptions
{
    /// <summary>The node's name in the cluster: mirror pods are named "&lt;pod&gt;-&lt;node&gt;".</summary>
    public required string NodeName { get; init; }
    public string ManifestsDir { get; init; } = PkiConstants.DefaultManifestsDir;
    /// <summary>How long a manifest stays out so the kubelet notices (its fileCheckFrequency, 20 s by default).</summary>
    public TimeSpan ManifestSyncWait { get; init; } = PkiConstants.KubeletManifestSync;
    public TimeSpan ReadyTimeout { get; init; } = PkiConstants.DefaultPodReadyTimeout;
    public TimeSpan PollInterval { get; init; } = PkiConstants.PodPollInterval;
}

public sealed record StaticPodRestartOutcome(string Pod, bool Ready, string Message);

/// <summary>
/// Restarts control-plane static pods the kubeadm-documented way: move the manifest out of the manifests dir,
/// wait for the kubelet to stop the pod, move it back, then wait until the new mirror pod is Ready. One pod at a
/// time, in <see cref="KubeadmCertificates.StaticPodOrder"/>. All waits are on the injected clock.
/// </summary>
public sealed class StaticPodRestarter(INodeAgent agent, IKubeClient kube, TimeProvider time, StaticPodRestartOptions options)
{
    public const string Namespace = "kube-system";

    public string ParkDir => options.ManifestsDir.TrimEnd('/') + "/../tmp";

    public async Task<IReadOnlyList<StaticPodRestartOutcome>> RestartAsync(IReadOnlyList<string> pods, IProgress<string>? progress = null, CancellationToken ct = default)
    {
        var outcomes = new List<StaticPodRestartOutcome>();
        foreach (var pod in KubeadmCertificates.StaticPodOrder.Where(pods.Contains))
        {
            var outcome = await RestartOneAsync(pod, progress, ct);
            outcomes.Add(outcome);
            if (!outcome.Ready) break; // do not take down the next component while this one is not back
        }
        return outcomes;
    }

    private async Task<StaticPodRestartOutcome> RestartOneAsync(string pod, IProgress<string>? progress, CancellationToken ct)
    {
        var mirror = $"{pod}-{options.NodeName}";
        var manifest = $"{options.ManifestsDir.TrimEnd('/')}/{pod}.yaml";
        var parked = $"{ParkDir}/drydock-parked-{pod}.yaml";
        var oldUid = (await TryGetAsync(mirror, ct)).Pod?.Metadata.Uid;

        progress?.Report($"restarting {pod} on {agent.NodeName}: moving {manifest} out for {ResidualTime.Format(options.ManifestSyncWait)}");
        var moveOut = await agent.RunAsync(new RunCommand($"mkdir -p {ShellQuote.Quote(ParkDir)} && mv -- {ShellQuote.Quote(manifest)} {ShellQuote.Quote(parked)}"), ct);
        if (!moveOut.Succeeded)
            return new StaticPodRestartOutcome(pod, false, $"cannot move {manifest} out on {agent.NodeName}: {moveOut.Stderr.Trim()}");
        await Task.Delay(options.ManifestSyncWait, time, ct);
        var moveBack = await agent.RunAsync(new RunCommand($"mv -- {ShellQuote.Quote(parked)} {ShellQuote.Quote(manifest)}"), ct);
        if (!moveBack.Succeeded)
            return new StaticPodRestartOutcome(pod, false,
                $"cannot move the manifest back on {agent.NodeName} ({moveBack.Stderr.Trim()}): {pod} is stopped; run 'mv {parked} {manifest}' on the node now");

        var deadline = time.GetUtcNow() + options.ReadyTimeout;
        string last = "not seen yet";
        while (true)
        {
            var (current, error) = await TryGetAsync(mirror, ct);
            if (current is not null && current.Metadata.Uid != oldUid && IsReady(current))
                return new StaticPodRestartOutcome(pod, true, $"{mirror} is Ready");
            last = error ?? (current is null ? "mirror pod not created yet"
                : current.Metadata.Uid == oldUid ? "old mirror pod still present" : "not Ready yet");
            if (time.GetUtcNow() >= deadline)
                return new StaticPodRestartOutcome(pod, false,
                    $"{mirror} did not become Ready within {ResidualTime.Format(options.ReadyTimeout)} ({last}); check 'crictl ps' and the kubelet log on {agent.NodeName}");
            await Task.Delay(options.PollInterval, time, ct);
        }
    }

    private static bool IsReady(Pod pod) =>
        pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    // While the apiserver itself restarts, every call fails: that is expected, keep polling until the deadline.
    private async Task<(Pod? Pod, string? Error)> TryGetAsync(string name, CancellationToken ct)
    {
        try { return (await kube.GetAsync<Pod>(ResourceKind.Pods, Namespace, name, ct), null); }
        catch (KubeApiException ex) when (ex.IsNotFound) { return (null, null); }
        catch (KubeApiException ex) { return (null, ex.Message); }
        catch (HttpRequestException ex) { return (null, ex.Message); }
    }
}
