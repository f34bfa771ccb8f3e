using System.Diagnostics;

namespace Drydock.Nodes.Ssh;

/// <summary>Runs one ssh invocation to completion (or timeout, on the injected clock) and captures both streams.</summary>
internal static class SshProcess
{
    public sealed record Outcome(int ExitCode, string Stdout, string Stderr, bool TimedOut);

    public static async Task<Outcome> RunAsync(string file, IReadOnlyList<string> args, TimeSpan timeout, TimeProvider time, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = new Process { StartInfo = psi };
        try { process.Start(); }
        catch (System.ComponentModel.Win32Exception ex) { throw new InvalidOperationException($"cannot start {file}: {ex.Message} (is the OpenSSH client installed?)", ex); }
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);

        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, ct);
        try
        {
            await process.WaitForExitAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await process.WaitForExitAsync(CancellationToken.None);
            ct.ThrowIfCancellationRequested();
            return new Outcome(-1, await stdout, await stderr, TimedOut: true);
        }
        return new Outcome(process.ExitCode, await stdout, await stderr, TimedOut: false);
    }
}
