using System.Globalization;
using Drydock.Nodes.Shell;

namespace Drydock.Nodes.Ssh;

/// <summary>
/// Runs <see cref="NodeStep"/>s over the system OpenSSH client: renders each step to the seeds' shell command
/// (apt or yum), runs it as <c>sh -c</c> (under <c>sudo -n</c> when the login is not root), captures stdout/stderr,
/// and reuses one master connection per node (ControlMaster/ControlPersist, socket in a private temp dir).
/// Exit 255 is ssh's own failure (unreachable, auth, host key) and throws <see cref="NodeAgentException"/>.
/// </summary>
public sealed class SshNodeAgent : INodeAgent
{
    private readonly SshTarget _target;
    private readonly SshOptions _options;
    private readonly ShellStepRenderer _renderer;
    private readonly TimeProvider _time;
    private readonly string? _controlDir;
    private PackageManager? _packageManager;

    public SshNodeAgent(SshTarget target, SshOptions options, ShellStepRenderer renderer, TimeProvider time, string? controlDir)
    {
        _target = target;
        _options = options;
        _renderer = renderer;
        _time = time;
        _controlDir = controlDir;
        _packageManager = target.PackageManager;
    }

    public string NodeName => _target.Node;

    public SshTarget Target => _target;

    public async Task<NodeStepResult> RunAsync(NodeStep step, CancellationToken ct = default)
    {
        var pm = step is QueryNodeFacts or RunCommand or ReadFile or WriteFile or PutFile or KubeadmVersion or KubeadmUpgradePlan
            or KubeadmUpgradeApply or KubeadmUpgradeNode or RestartKubelet or Reboot
            ? _packageManager ?? PackageManager.Apt
            : await PackageManagerAsync(ct);
        var rendered = _renderer.Render(step, pm);
        var timeout = step is RunCommand { Timeout: { } t } ? t : _options.StepTimeout;
        var started = _time.GetTimestamp();
        var outcome = await SshProcess.RunAsync(_options.SshPath, Arguments(rendered.Script), timeout, _time, ct, rendered.StdinFile);
        var duration = _time.GetElapsedTime(started);

        if (outcome.TimedOut)
            return Result(step, rendered, 124, outcome.Stdout,
                outcome.Stderr + $"drydock: step timed out after {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s and was killed\n", duration);
        if (outcome.ExitCode == 255)
        {
            if (rendered.MayDropConnection) return Result(step, rendered, 0, outcome.Stdout, outcome.Stderr, duration);
            throw new NodeAgentException(_target.Node, SshFailure(outcome.Stderr));
        }
        var result = Result(step, rendered, outcome.ExitCode, outcome.Stdout, outcome.Stderr, duration);
        return step switch
        {
            QueryNodeFacts when result.Succeeded => result with { Facts = Remember(NodeFactsScript.Parse(_target.Node, outcome.Stdout)) },
            ListAvailableVersions l when result.Succeeded => result with
            {
                Versions = (pm == PackageManager.Apt
                        ? Versions.PackageVersionListing.ParseAptCacheMadison(outcome.Stdout, l.Package)
                        : Versions.PackageVersionListing.ParseYumListShowDuplicates(outcome.Stdout, l.Package))
                    .Select(v => v.Version.Bare).Distinct().ToList(),
            },
            _ => result,
        };
    }

    /// <summary>Closes the shared master connection, if one is up.</summary>
    public async Task CloseAsync()
    {
        if (_controlDir is null) return;
        var args = BaseArguments();
        args.AddRange(["-O", "exit", _target.Host]);
        await SshProcess.RunAsync(_options.SshPath, args, TimeSpan.FromSeconds(5), _time, CancellationToken.None);
    }

    private async Task<PackageManager> PackageManagerAsync(CancellationToken ct)
    {
        if (_packageManager is { } known) return known;
        var facts = await RunAsync(new QueryNodeFacts(), ct);
        if (!facts.Succeeded || facts.Facts is null)
            throw new NodeAgentException(_target.Node, $"cannot tell apt from yum: `{facts.CommandLine}` exited {facts.ExitCode}: {facts.Stderr.Trim()}");
        return _packageManager!.Value;
    }

    private NodeFacts Remember(NodeFacts facts)
    {
        _packageManager ??= PackageManagers.TryParse(facts.PackageManager) ?? PackageManager.Apt;
        return facts;
    }

    private NodeStepResult Result(NodeStep step, RenderedStep rendered, int exit, string stdout, string stderr, TimeSpan duration) => new()
    {
        Node = _target.Node,
        Step = step,
        CommandLine = rendered.Script,
        ExitCode = exit,
        Stdout = stdout,
        Stderr = stderr,
        Duration = duration,
    };

    private List<string> Arguments(string script)
    {
        var args = BaseArguments();
        args.Add(_target.Host);
        var shell = "sh -c " + ShellQuote.Quote(script);
        args.Add(_target.UsesSudo ? "sudo -n " + shell : shell);
        return args;
    }

    private List<string> BaseArguments()
    {
        var o = _options;
        var args = new List<string>
        {
            "-T",
            "-o", "BatchMode=yes",
            "-o", $"ConnectTimeout={(int)Math.Ceiling(o.ConnectTimeout.TotalSeconds)}",
            "-o", $"StrictHostKeyChecking={(o.AcceptNewHostKeys ? "accept-new" : "yes")}",
            "-o", "LogLevel=ERROR",
            "-p", _target.Port.ToString(CultureInfo.InvariantCulture),
            "-l", _target.User,
        };
        if (o.KnownHostsFile is not null) args.AddRange(["-o", $"UserKnownHostsFile={o.KnownHostsFile}", "-o", "GlobalKnownHostsFile=/dev/null"]);
        if (_target.IdentityFile is not null) args.AddRange(["-i", _target.IdentityFile, "-o", "IdentitiesOnly=yes"]);
        if (_controlDir is not null)
            args.AddRange(["-o", "ControlMaster=auto", "-o", $"ControlPath={Path.Combine(_controlDir, "%C")}",
                "-o", $"ControlPersist={(int)Math.Ceiling(o.ControlPersist.TotalSeconds)}"]);
        return args;
    }

    private string SshFailure(string stderr)
    {
        var text = stderr.Trim();
        if (text.Contains("Host key verification failed", StringComparison.Ordinal) || text.Contains("REMOTE HOST IDENTIFICATION HAS CHANGED", StringComparison.Ordinal))
            return $"host key verification failed for {_target}: add the node's key to known_hosts (ssh-keyscan -p {_target.Port} {_target.Host}) or pass --ssh-insecure-accept-host-keys";
        if (text.Contains("Permission denied", StringComparison.Ordinal))
            return $"ssh login refused for {_target}: check --ssh-user and --ssh-identity (or the inventory): {text}";
        return $"ssh to {_target} failed: {(text.Length == 0 ? "exit 255" : text)}";
    }
}
