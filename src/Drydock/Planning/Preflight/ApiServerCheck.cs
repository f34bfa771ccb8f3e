namespace Drydock.Planning.Preflight;

/// <summary>
/// API server reachable and ready. Live: /version answered and /readyz?verbose passes every check (behind a load
/// balancer that is one instance's view). Each kube-apiserver static pod must be Running and
/// Ready — kubeadm's manifest probes it with readinessProbe httpGet /readyz, so its Ready condition is that
/// instance's /readyz as the kubelet last saw it.
/// </summary>
public sealed class ApiServerCheck : IPreflightCheck
{
    public string Name => "api-server";

    public ValueTask<PreflightResult> RunAsync(PreflightContext context, CancellationToken ct = default)
    {
        var s = context.Snapshot;
        var evidence = new List<string>
        {
            s.Live ? $"GET /version at {s.Source} answered {s.ApiServerVersion}" : $"offline {s.Source}: /version not queried; reading kube-apiserver pods",
        };
        if (s.ApiServerReadyz is { } readyz)
        {
            evidence.Add(readyz.Ok
                ? $"GET /readyz?verbose: ok ({readyz.Passed.Count} checks passed)"
                : $"GET /readyz?verbose answered {readyz.StatusCode}: {string.Join("; ", readyz.Failed.DefaultIfEmpty("no check named"))}");
            if (!readyz.Ok)
                return Result(PreflightStatus.Fail,
                    $"the API server is not ready: {(readyz.Failed.Count == 0 ? $"/readyz answered {readyz.StatusCode}" : string.Join(", ", readyz.Failed.Select(f => f.Split(' ')[0])) + " failing")}",
                    evidence, "run 'kubectl get --raw=/readyz?verbose' and fix the failing checks (etcd first: the API server cannot be ready without it) before upgrading");
        }
        else if (s.Live) evidence.Add("/readyz could not be asked (not permitted or not served): readiness read from the kube-apiserver pods");
        var apiservers = s.ControlPlane.Select(c => c.KubeApiserver).OfType<Inventory.StaticPodState>().ToList();
        if (apiservers.Count == 0)
            return Result(PreflightStatus.Fail, "no kube-apiserver static pods found", evidence,
                "Drydock upgrades kubeadm clusters: check that kube-system has pods labelled component=kube-apiserver,tier=control-plane");
        var notReady = apiservers.Where(a => a.Phase != "Running" || !a.Ready).ToList();
        foreach (var a in apiservers)
            evidence.Add($"{a.PodName}: {a.Phase}{(a.Ready ? ", Ready (/readyz ok)" : ", not Ready (/readyz failing)")}");
        return notReady.Count == 0
            ? Result(PreflightStatus.Pass, $"{apiservers.Count} kube-apiserver instance(s) Running and Ready", evidence, null)
            : Result(PreflightStatus.Fail, $"{notReady.Count} of {apiservers.Count} kube-apiserver instance(s) not ready", evidence,
                $"inspect 'kubectl -n kube-system describe pod {notReady[0].PodName}' and the kubelet log on that node");
    }

    private ValueTask<PreflightResult> Result(PreflightStatus status, string summary, List<string> evidence, string? remedy) =>
        ValueTask.FromResult(new PreflightResult { Check = Name, Status = status, Summary = summary, Evidence = EvidenceList.Cap(evidence), Remedy = remedy });
}
