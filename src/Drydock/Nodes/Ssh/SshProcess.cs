using System.Diagnostics;
using System.Text;

namespace Drydock.Nodes.Ssh;

/// <summary>Runs one ssh invocation to completion (or timeout, on the injected clock) and captures both streams.</summary>
internal static class SshProcess
{
    public sealed record Outcome(int ExitCode, string Stdout, string Stderr, bool TimedOut);

    /// <param name="stdinFile">A local file streamed to the remote command's stdin (then closed); null closes stdin at once.</param>
    public static async Task<Outcome> RunAsync(string file, IReadOnlyList<string> args, TimeSpan timeout, TimeProvider time, CancellationToken ct, string? stdinFile = null)
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
        var feeding = stdinFile is null ? Task.CompletedTask : Feed(process, stdinFile, ct);
        if (stdinFile is null) process.StandardInput.Close();
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var readers = Task.WhenAll(Pump(process.StandardOutput, stdout), Pump(process.StandardError, stderr));

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
            await Drain(readers, time);
            return new Outcome(-1, Snapshot(stdout), Snapshot(stderr), TimedOut: true);
        }
        await Drain(readers, time);
        await feeding;
        return new Outcome(process.ExitCode, Snapshot(stdout), Snapshot(stderr), TimedOut: false);
    }

    /// <summary>Streams the file into ssh's stdin in 1 MiB pieces. A remote side that stops reading (its command failed)
    /// breaks the pipe: that is reported by the exit code and stderr, not here.</summary>
    private static async Task Feed(Process process, string path, CancellationToken ct)
    {
        try
        {
            await using (var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.Asynchronous | FileOptions.SequentialScan))
                await source.CopyToAsync(process.StandardInput.BaseStream, 1 << 20, ct);
        }
        catch (IOException) { }
        catch (OperationCanceledException) { }
        finally
        {
            try { process.StandardInput.Close(); } catch (IOException) { }
        }
    }

    /// <summary>A killed mux client's pipes may be held by the ControlMaster until the remote command ends:
    /// wait briefly for the rest of the output, then keep what arrived.</summary>
    private static async Task Drain(Task readers, TimeProvider time)
    {
        try { await readers.WaitAsync(TimeSpan.FromSeconds(2), time); }
        catch (TimeoutException) { }
    }

    private static async Task Pump(StreamReader reader, StringBuilder into)
    {
        var buffer = new char[4096];
        int n;
        while ((n = await reader.ReadAsync(buffer)) > 0)
            lock (into) into.Append(buffer, 0, n);
    }

    private static string Snapshot(StringBuilder sb) { lock (sb) return sb.ToString(); }
}
