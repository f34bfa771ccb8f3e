using System.CommandLine;
using Drydock.Common;
using Drydock.Kube;

namespace Drydock.Cli.Infrastructure;

/// <summary>Turns the global flags into an <see cref="IKubeClient"/>.</summary>
internal static class KubeClientFactories
{
    public static Task<IKubeClient> FromKubeconfig(ParseResult parse, CancellationToken ct) =>
        throw new DrydockException(new UsageError("no Kubernetes client is configured in this build"));
}
