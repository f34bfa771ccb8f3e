using System.Diagnostics;

namespace Drydock.Sandbox.Tests.Support;

/// <summary>Runs the real /usr/bin/kubectl against a sandbox's kubeconfig, isolated from ~/.kube (HOME is a temp dir).</summary>
internal sealed record KubectlResult(int ExitCode, string Stdout, string Stderr)
{
    public string All => Stdout + Stderr;
}

internal static class Kubectl
{
    public static async Task<KubectlResult> RunAsync(string kubeconfig, params string[] args) => await RunAsync(kubeconfig, TimeSpan.FromSeconds(60), args);

    public static async Task<KubectlResult> RunAsync(string kubeconfig, TimeSpan timeout, params string[] args)
    {
        var psi = new ProcessStartInfo("/usr/bin/kubectl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        var home = Path.GetDirectoryName(kubeconfig)!;
        psi.Environment["KUBECONFIG"] = kubeconfig;
        psi.Environment["HOME"] = home;
        psi.Environment.Remove("KUBERNETES_SERVICE_HOST");
        return await RunProcessAsync(psi, $"kubectl {string.Join(' ', args)}", timeout);
    }

    /// <summary>Runs a prepared process to completion within <paramref name="timeout"/> (killed and reported otherwise).</summary>
    public static async Task<KubectlResult> RunProcessAsync(ProcessStartInfo psi, string what, TimeSpan timeout)
    {
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try { await process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{what} did not finish within {timeout}");
        }
        return new KubectlResult(process.ExitCode, await stdout, await stderr);
    }
}
