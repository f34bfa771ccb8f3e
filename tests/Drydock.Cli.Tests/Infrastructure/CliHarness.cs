using System.CommandLine;
using Drydock.Cli.Infrastructure;
using Drydock.Common;
using Drydock.Kube;
using Spectre.Console;

namespace Drydock.Cli.Tests.Infrastructure;

/// <summary>What one `drydock` run printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}--- stderr\n{Stderr}";
}

/// <summary>
/// Runs <c>CliApp.RunAsync</c> in-process on a StringWriter console with an isolated environment (only <see cref="Env"/>,
/// so the machine's KUBECONFIG never leaks in), a manual clock, and a swappable Kubernetes client factory.
/// </summary>
internal sealed class CliHarness
{
    /// <summary>The environment the command sees; HOME points nowhere unless a test sets it.</summary>
    public Dictionary<string, string?> Env { get; } = new() { ["HOME"] = "/nonexistent-drydock-home" };

    /// <summary>The CLI's clock ("now" for AGE columns, waits in commands).</summary>
    public ManualTimeProvider Time { get; init; } = new(new DateTimeOffset(2026, 11, 21, 8, 0, 0, TimeSpan.Zero));

    /// <summary>Null: the real kubeconfig loader over <see cref="Env"/>, with the system clock for HTTP deadlines.</summary>
    public Func<ParseResult, CancellationToken, Task<IKubeClient>>? KubeClientFactory { get; set; }

    public bool StdinIsTty { get; init; }

    public TimeSpan Bound { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Runs a command that must reject its input before contacting any cluster (the factory throws).</summary>
    public static Task<CliResult> RunWithoutClusterAsync(params string[] args) =>
        new CliHarness { KubeClientFactory = (_, _) => throw new InvalidOperationException("the cluster must not be contacted for bad input") }.RunAsync(args);

    public async Task<CliResult> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        var services = new CliServices
        {
            Out = console,
            Err = stderr,
            Time = Time,
            GetEnv = k => Env.GetValueOrDefault(k),
            StdinIsTty = StdinIsTty,
            KubeClientFactory = KubeClientFactory ?? KubeClientFactories.Create(k => Env.GetValueOrDefault(k), TimeProvider.System),
        };
        var code = await CliApp.RunAsync(args, services).WaitAsync(Bound);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }
}
