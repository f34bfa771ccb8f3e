using System.CommandLine;
using Drydock.Kube;
using Drydock.Kube.Config;

namespace Drydock.Cli.Infrastructure;

/// <summary>Turns the global flags (--kubeconfig, --context) and the environment into an <see cref="IKubeClient"/>.</summary>
internal static class KubeClientFactories
{
    /// <summary>The production factory: the process environment and the system clock.</summary>
    public static Task<IKubeClient> FromKubeconfig(ParseResult parse, CancellationToken ct) =>
        Create(Environment.GetEnvironmentVariable, TimeProvider.System)(parse, ct);

    /// <summary>A factory over an injected environment and clock (tests pass their own; see CliHarness).</summary>
    public static Func<ParseResult, CancellationToken, Task<IKubeClient>> Create(Func<string, string?> getEnv, TimeProvider time,
        string serviceAccountDir = InClusterConfig.DefaultServiceAccountDir) =>
        (parse, _) => Task.FromResult<IKubeClient>(Connection(parse, getEnv, time, serviceAccountDir).CreateClient(time));

    /// <summary>The resolved connection (server, namespace of the context) for commands that need more than a client.</summary>
    public static KubeConnection Connection(ParseResult parse, Func<string, string?> getEnv, TimeProvider time,
        string serviceAccountDir = InClusterConfig.DefaultServiceAccountDir) =>
        KubeConnectionLoader.Load(parse.GetValue(GlobalOptions.Kubeconfig), parse.GetValue(GlobalOptions.Context), getEnv, time, serviceAccountDir);

    /// <summary>A factory for one fixed server with no credentials (the sandbox on loopback, tests).</summary>
    public static Func<ParseResult, CancellationToken, Task<IKubeClient>> ForServer(Uri server, TimeProvider? time = null) =>
        (_, _) => Task.FromResult<IKubeClient>(Kube.Client.KubeClient.ForServer(server, time));
}
