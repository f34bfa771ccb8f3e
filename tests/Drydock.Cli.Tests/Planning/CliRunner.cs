using System.Runtime.CompilerServices;
using Drydock.Cli.Infrastructure;
using Drydock.Common;
using Spectre.Console;

namespace Drydock.Cli.Tests.Planning;

/// <summary>Runs the CLI in-process on a StringWriter console (no colours, not a TTY); cluster access only through the given factory.</summary>
internal static class CliRunner
{
    public static Task<(int Code, string Out, string Err)> Run(params string[] args) => Run(null, args);

    public static async Task<(int Code, string Out, string Err)> Run(Func<System.CommandLine.ParseResult, CancellationToken, Task<Drydock.Kube.IKubeClient>>? kube, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No,
        });
        var services = new CliServices
        {
            Out = console, Err = stderr, Time = new ManualTimeProvider(), GetEnv = _ => null,
            KubeClientFactory = kube ?? ((_, _) => throw new InvalidOperationException("these tests plan against --snapshot files only")),
        };
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var code = await CliApp.RunAsync(args, services, cts.Token);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The shared fixture and approved files live with the library's planning tests.</summary>
    public static string LibraryTests(string relative, [CallerFilePath] string caller = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(caller)!, "../../Drydock.Tests/Planning", relative));

    public static string Fixture => LibraryTests("Fixtures/kubeadm-v1.27-ha.json");
}
