using Drydock.Common;

namespace Drydock.Kube.Config;

/// <summary>
/// The whole loading order in one call, as kubectl: --kubeconfig, else $KUBECONFIG, else ~/.kube/config,
/// else in-cluster config; then --context (else current-context).
/// </summary>
public static class KubeConnectionLoader
{
    public static KubeConnection Load(string? kubeconfigPath, string? context, Func<string, string?> getEnv, TimeProvider time,
        string serviceAccountDir = InClusterConfig.DefaultServiceAccountDir)
    {
        var config = KubeconfigLoader.Load(kubeconfigPath, getEnv);
        if (config is not null) return KubeconfigResolver.Resolve(config, context, time);
        if (InClusterConfig.IsAvailable(getEnv)) return InClusterConfig.Load(getEnv, time, serviceAccountDir);
        throw new DrydockException(new UsageError(
            "no kubeconfig found: ~/.kube/config does not exist and $KUBECONFIG is not set; pass --kubeconfig FILE or set KUBECONFIG"));
    }
}
