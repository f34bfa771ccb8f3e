using System.Globalization;
using System.Text;

namespace Drydock.Nodes.Shell;

/// <summary>
/// Turns semantic <see cref="NodeStep"/>s into the exact commands of the seed guides (000, 001, 004), for apt and
/// for yum. Pure: the same step and package manager always give the same text, so tests can assert it.
/// </summary>
public sealed class ShellStepRenderer(PackageRepository repository)
{
    public ShellStepRenderer() : this(new PackageRepository()) { }

    public PackageRepository Repository { get; } = repository;

    public RenderedStep Render(NodeStep step, PackageManager pm) => step switch
    {
        QueryNodeFacts => new(NodeFactsScript.Build(Repository)),
        ListAvailableVersions l => new(pm == PackageManager.Apt
            ? $"apt-cache madison {Q(l.Package)}"
            : $"yum list --showduplicates {Q(l.Package)} --disableexcludes=kubernetes"),
        SwitchRepository s => new(SwitchRepository(s.Minor, pm)),
        InstallPackages i => new(Install(i, pm)),
        KubeadmVersion => new("kubeadm version -o short"),
        KubeadmUpgradePlan p => new(p.Version is null ? "kubeadm upgrade plan" : $"kubeadm upgrade plan {Q(V(p.Version))}"),
        KubeadmUpgradeApply a => new($"kubeadm upgrade apply -y {Q(V(a.Version))}" + (a.CertificateRenewal ? "" : " --certificate-renewal=false")),
        KubeadmUpgradeNode => new("kubeadm upgrade node"),
        RestartKubelet => new("systemctl daemon-reload && systemctl restart kubelet"),
        Reboot => new("systemctl reboot") { MayDropConnection = true },
        RunCommand r => new(r.Command),
        ReadFile f => new($"cat -- {Q(f.Path)}"),
        WriteFile w => new(WriteFileScript(w)),
        PutFile p => new(PutFileScript(p)) { StdinFile = p.SourcePath },
        _ => throw new ArgumentException($"no shell rendering for step {step.GetType().Name}", nameof(step)),
    };

    /// <summary>seed 004: <c>apt-mark unhold kubeadm &amp;&amp; apt-get update &amp;&amp; apt-get install -y kubeadm='1.28.x-*' &amp;&amp; apt-mark hold kubeadm</c>
    /// / <c>yum install -y kubeadm-'1.28.x-*' --disableexcludes=kubernetes</c>.</summary>
    private static string Install(InstallPackages i, PackageManager pm)
    {
        var names = string.Join(' ', i.Packages.Select(Q));
        var pinned = string.Join(' ', i.Packages.Select(p => pm == PackageManager.Apt
            ? $"{p}={Q(i.Version + "-*")}"
            : $"{p}-{Q(i.Version + "-*")}"));
        return pm == PackageManager.Apt
            ? $"apt-mark unhold {names} && apt-get update && apt-get install -y {pinned} && apt-mark hold {names}"
            : $"yum install -y {pinned} --disableexcludes=kubernetes";
    }

    private string SwitchRepository(string minor, PackageManager pm) => pm == PackageManager.Apt
        ? $"printf '%s\\n' {Q(Repository.AptSourcesLine(minor))} > {Q(Repository.AptSourcesFile)}"
        : $"printf '%s' {Q(Repository.YumRepoFileContent(minor))} > {Q(Repository.YumRepoFile)}";

    /// <summary>Atomic write: temp file next to the target, mode set before the rename, content as base64 so any bytes survive.</summary>
    private static string WriteFileScript(WriteFile w)
    {
        var b64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(w.Content));
        var mode = Convert.ToString(w.Mode, 8).PadLeft(4, '0');
        var path = Q(w.Path);
        return $"tmp=$(mktemp {Q(w.Path + ".drydock.XXXXXX")}) && printf '%s' {b64} | base64 -d > \"$tmp\" && chmod {mode} \"$tmp\" && mv -f \"$tmp\" {path}";
    }

    /// <summary>
    /// The file arrives on stdin: into a temp file (umask 077, so never readable by others), sha256 checked on the node,
    /// mode set, renamed over the target. Any failure removes the temp file.
    /// </summary>
    public static string PutFileScript(PutFile p)
    {
        var mode = Convert.ToString(p.Mode, 8).PadLeft(4, '0');
        var dir = System.IO.Path.GetDirectoryName(p.Path) is { Length: > 0 } d ? d : "/";
        var part = Q(p.Path + ".drydock-part");
        return $"umask 077; mkdir -p -- {Q(dir)} || exit 1; "
            + $"cat > {part} || {{ rm -f -- {part}; echo {Q($"cannot write {p.Path}.drydock-part on the node")} >&2; exit 1; }}; "
            + $"printf '%s  %s\\n' {Q(p.Sha256)} {part} | sha256sum -c --status || {{ rm -f -- {part}; echo {Q($"{p.Path}: sha256 on the node does not match {p.SourcePath} ({p.Length} bytes) after the copy")} >&2; exit 1; }}; "
            + $"chmod {mode} {part} && mv -f -- {part} {Q(p.Path)}";
    }

    private static string Q(string word) => ShellQuote.Quote(word);

    /// <summary>kubeadm takes "v1.28.4"; NodeStep versions carry no "v".</summary>
    private static string V(string version) =>
        version.StartsWith('v') ? version : "v" + version.ToString(CultureInfo.InvariantCulture);
}
