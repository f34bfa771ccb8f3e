using System.CommandLine;
using Drydock.Kube;
using Spectre.Console;

namespace Drydock.Cli.Infrastructure;

/// <summary>
/// What a command handler may touch. Tests build one on a StringWriter console and a manual clock;
/// Program builds the real one.
/// </summary>
internal sealed class CliServices
{
    /// <summary>Standard output (tables, results).</summary>
    public required IAnsiConsole Out { get; init; }

    /// <summary>Standard error (warnings, errors, retry lines), as kubectl separates them.</summary>
    public required TextWriter Err { get; init; }

    public required TimeProvider Time { get; init; }

    /// <summary>Environment lookup (KUBECONFIG, ETCDCTL_*, HOME …), injectable for tests.</summary>
    public required Func<string, string?> GetEnv { get; init; }

    /// <summary>True when stdin is a terminal: only then may a command ask for confirmation.</summary>
    public bool StdinIsTty { get; init; }

    /// <summary>True when stdout is a terminal: live views only then, plain lines otherwise.</summary>
    public bool StdoutIsTty { get; init; }

    /// <summary>Builds the Kubernetes client from --kubeconfig/--context (set by the Kube layer's loader).</summary>
    public required Func<ParseResult, CancellationToken, Task<IKubeClient>> KubeClientFactory { get; init; }

    public static CliServices CreateDefault(IAnsiConsole console) => new()
    {
        Out = console,
        Err = Console.Error,
        Time = TimeProvider.System,
        GetEnv = Environment.GetEnvironmentVariable,
        StdinIsTty = !Console.IsInputRedirected,
        StdoutIsTty = !Console.IsOutputRedirected,
        KubeClientFactory = KubeClientFactories.FromKubeconfig,
    };
}
