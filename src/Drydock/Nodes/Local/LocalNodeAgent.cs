using System.Diagnostics;
using System.Globalization;

namespace Drydock.Nodes.Local;

/// <summary>
/// Runs steps on the machine Drydock itself runs on (<c>--transport local</c>): for operating from the control-plane
/// node, and for tests. Commands go through <c>bash -c</c>; files are read and written directly (written atomically:
/// temp file in the same directory, mode set, then renamed). Package and kubeadm steps belong to the ssh transport.
/// </summary>
public sealed class LocalNodeAgent(string nodeName, TimeProvider time) : INodeAgent
{
    /// <summary>Bound on a command without its own <see cref="RunCommand.Timeout"/>.</summary>
    public static readonly TimeSpan DefaultCommandTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Exit code reported for a command killed at its timeout (as coreutils' timeout does).</summary>
    public const int TimedOutExitCode = 124;

    public string NodeName { get; } = nodeName;

    public Task<NodeStepResult> RunAsync(NodeStep step, CancellationToken ct = default) => step switch
    {
        RunCommand run => RunCommandAsync(run, ct),
        ReadFile read => Task.FromResult(Read(read)),
        WriteFile write => Task.FromResult(Write(write)),
        PutFile put => PutAsync(put, ct),
        _ => throw new NodeAgentException(NodeName, $"the local transport runs commands and files only; \"{step.Describe()}\" needs --transport ssh"),
    };

    private async Task<NodeStepResult> RunCommandAsync(RunCommand step, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        var psi = new ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(step.Command);
        Process process;
        try { process = Process.Start(psi) ?? throw new NodeAgentException(NodeName, "cannot start /bin/bash"); }
        catch (System.ComponentModel.Win32Exception ex) { throw new NodeAgentException(NodeName, $"cannot start /bin/bash: {ex.Message}", ex); }
        using (process)
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
            var timeout = step.Timeout ?? DefaultCommandTimeout;
            using var deadline = new CancellationTokenSource(timeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
            var timedOut = false;
            try { await process.WaitForExitAsync(linked.Token); }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
                ct.ThrowIfCancellationRequested();
                timedOut = true;
            }
            var err = await stderr;
            if (timedOut) err += $"{(err.Length > 0 && !err.EndsWith('\n') ? "\n" : "")}timed out after {timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}s";
            return new NodeStepResult
            {
                Node = NodeName,
                Step = step,
                CommandLine = step.Command,
                ExitCode = timedOut ? TimedOutExitCode : process.ExitCode,
                Stdout = await stdout,
                Stderr = err,
                Duration = time.GetElapsedTime(started),
            };
        }
    }

    private NodeStepResult Read(ReadFile step)
    {
        var started = time.GetTimestamp();
        try
        {
            return Result(step, $"cat {step.Path}", 0, File.ReadAllText(step.Path), "", started);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var reason = ex is FileNotFoundException or DirectoryNotFoundException ? "No such file or directory" : ex.Message;
            return Result(step, $"cat {step.Path}", 1, "", $"cat: {step.Path}: {reason}", started);
        }
    }

    private NodeStepResult Write(WriteFile step)
    {
        var started = time.GetTimestamp();
        var mode = Convert.ToString(step.Mode, 8).PadLeft(4, '0');
        var commandLine = $"install -m {mode} /dev/stdin {step.Path}";
        var temp = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(step.Path))!, $".{Path.GetFileName(step.Path)}.drydock-{Environment.ProcessId}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = (UnixFileMode)step.Mode;
            using (var file = new FileStream(temp, options))
            using (var writer = new StreamWriter(file))
            {
                writer.Write(step.Content);
                writer.Flush();
                file.Flush(flushToDisk: true);
            }
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, (UnixFileMode)step.Mode);
            File.Move(temp, step.Path, overwrite: true);
            return Result(step, commandLine, 0, "", "", started);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            return Result(step, commandLine, 1, "", $"install: cannot write {step.Path}: {ex.Message}", started);
        }
    }

    /// <summary>
    /// The node is this machine: copy to a temp file beside the target, check its sha256, set the mode, rename. A file
    /// already at the target path is only checked.
    /// </summary>
    private async Task<NodeStepResult> PutAsync(PutFile step, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        var target = Path.GetFullPath(step.Path);
        var commandLine = $"install -D -m {Convert.ToString(step.Mode, 8).PadLeft(4, '0')} {step.SourcePath} {step.Path} && sha256sum {step.Path}";
        var part = target + ".drydock-part";
        var same = Path.GetFullPath(step.SourcePath) == target;
        if (OperatingSystem.IsWindows()) return Result(step, commandLine, 1, "", "copying files to a node needs a Unix node", started);
        try
        {
            if (!same)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, BufferSize = 0, UnixCreateMode = (UnixFileMode)step.Mode };
                await using (var source = new FileStream(step.SourcePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan))
                await using (var file = new FileStream(part, options))
                {
                    await source.CopyToAsync(file, 1 << 20, ct);
                    file.Flush(flushToDisk: true);
                }
            }
            var check = same ? target : part;
            string actual;
            await using (var copy = new FileStream(check, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan))
                actual = Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(copy, ct));
            if (!string.Equals(actual, step.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                if (!same) File.Delete(part);
                return Result(step, commandLine, 1, "", $"{step.Path}: sha256 {actual} does not match {step.SourcePath} ({step.Sha256}) after the copy", started);
            }
            File.SetUnixFileMode(check, (UnixFileMode)step.Mode);
            if (!same) File.Move(part, target, overwrite: true);
            return Result(step, commandLine, 0, "", "", started);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(part); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            return Result(step, commandLine, 1, "", $"cannot copy {step.SourcePath} to {step.Path}: {ex.Message}", started);
        }
    }

    private NodeStepResult Result(NodeStep step, string commandLine, int exit, string stdout, string stderr, long started) => new()
    {
        Node = NodeName,
        Step = step,
        CommandLine = commandLine,
        ExitCode = exit,
        Stdout = stdout,
        Stderr = stderr,
        Duration = time.GetElapsedTime(started),
    };
}
