using System.Collections.Concurrent;
using System.Diagnostics;
using Drydock.Nodes;

namespace Drydock.Tests.Pki;

/// <summary>
/// A node whose filesystem is a temp directory: ReadFile/WriteFile map "/etc/…" to "root/etc/…", RunCommand runs
/// through bash with every single-quoted absolute path re-rooted (Drydock quotes every path it puts in a command).
/// Stands in for the SSH transport until the orchestration engineer's real sshd test exists.
/// </summary>
internal sealed class TempDirNodeAgent(string nodeName, string root) : INodeAgent
{
    public string NodeName => nodeName;
    public ConcurrentQueue<NodeStep> Steps { get; } = new();

    public async Task<NodeStepResult> RunAsync(NodeStep step, CancellationToken ct = default)
    {
        Steps.Enqueue(step);
        switch (step)
        {
            case ReadFile read:
                var path = root + read.Path;
                return File.Exists(path)
                    ? Result(step, 0, await File.ReadAllTextAsync(path, ct), "")
                    : Result(step, 1, "", $"cat: {read.Path}: No such file or directory");
            case WriteFile write:
                var target = root + write.Path;
                var temp = target + ".tmp";
                await File.WriteAllTextAsync(temp, write.Content, ct);
                if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, (UnixFileMode)write.Mode);
                File.Move(temp, target, overwrite: true);
                return Result(step, 0, "", "");
            case RunCommand run:
                var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
                psi.ArgumentList.Add("-c");
                psi.ArgumentList.Add(run.Command.Replace("'/", "'" + root + "/", StringComparison.Ordinal));
                using (var p = Process.Start(psi)!)
                {
                    var stdout = await p.StandardOutput.ReadToEndAsync(ct);
                    var stderr = await p.StandardError.ReadToEndAsync(ct);
                    await p.WaitForExitAsync(ct);
                    return Result(step, p.ExitCode, stdout, stderr);
                }
            default:
                return Result(step, 127, "", "unsupported step");
        }
    }

    private NodeStepResult Result(NodeStep step, int exit, string stdout, string stderr) =>
        new() { Node = nodeName, Step = step, CommandLine = step.Describe(), ExitCode = exit, Stdout = stdout, Stderr = stderr };
}
