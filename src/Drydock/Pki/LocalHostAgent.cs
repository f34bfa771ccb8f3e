using System.Diagnostics;
using Drydock.Nodes;

namespace Drydock.Pki;

/// <summary>
/// This machine as a node agent, for <c>drydock certs renew --restart</c> run on a control-plane node (as kubeadm
/// is). Only the steps certificate work needs: RunCommand through /bin/sh, ReadFile, WriteFile.
/// </summary>
public sealed class LocalHostAgent(string nodeName, TimeProvider time) : INodeAgent
{
    private readonly LocalPkiFileStore _files = new();

    public string NodeName => nodeName;

    public async Task<NodeStepResult> RunAsync(NodeStep step, CancellationToken ct = default)
    {
        var start = time.GetTimestamp();
        switch (step)
        {
            case RunCommand run:
                var psi = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                psi.ArgumentList.Add("-c");
                psi.ArgumentList.Add(run.Command);
                using (var p = Process.Start(psi) ?? throw new NodeAgentException(nodeName, "cannot start /bin/sh"))
                {
                    var stdout = p.StandardOutput.ReadToEndAsync(ct);
                    var stderr = p.StandardError.ReadToEndAsync(ct);
                    await p.WaitForExitAsync(ct);
                    return Result(step, run.Command, p.ExitCode, await stdout, await stderr, start);
                }
            case ReadFile read:
                var text = await _files.ReadTextAsync(read.Path, ct);
                return Result(step, $"cat {ShellQuote.Quote(read.Path)}", text is null ? 1 : 0, text ?? "", text is null ? $"cat: {read.Path}: No such file or directory" : "", start);
            case WriteFile write:
                await _files.WriteAtomicAsync(write.Path, write.Content, (UnixFileMode)write.Mode, ct);
                return Result(step, $"write {write.Path}", 0, "", "", start);
            default:
                return Result(step, step.Describe(), 127, "", $"the local agent does not support '{step.Describe()}'", start);
        }
    }

    private NodeStepResult Result(NodeStep step, string command, int exit, string stdout, string stderr, long start) => new()
    {
        Node = nodeName, Step = step, CommandLine = command, ExitCode = exit, Stdout = stdout, Stderr = stderr,
        Duration = time.GetElapsedTime(start),
    };
}
