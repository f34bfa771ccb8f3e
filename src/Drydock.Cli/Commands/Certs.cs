using System.CommandLine;
using System.Globalization;
using System.Text;
using Drydock.Cli.Infrastructure;
using Drydock.Common;
using Drydock.Pki;

namespace Drydock.Cli.Commands;

/// <summary>
/// <c>drydock certs check-expiration | renew NAME|all</c>: kubeadm's certs commands on this node's files, with chain
/// verification, warn/error statuses, backups and an optional restart of the affected static pods.
/// </summary>
[CliCommand(80)]
internal static partial class CertsCommand
{
    private static readonly Option<string> PkiDir = new("--pki-dir", "--cert-dir")
    { Description = "The path where certificates are stored (kubeadm's certificatesDir)", DefaultValueFactory = _ => PkiConstants.DefaultPkiDir };

    private static readonly Option<string> KubeconfigDir = new("--kubeconfig-dir")
    { Description = "The directory holding admin.conf, controller-manager.conf, scheduler.conf, super-admin.conf", DefaultValueFactory = _ => PkiConstants.DefaultKubeconfigDir };

    private static readonly Option<string> KubeletDir = new("--kubelet-dir")
    { Description = "The kubelet's directory (pki/kubelet-client-current.pem, pki/kubelet.crt, config.yaml)", DefaultValueFactory = _ => PkiConstants.DefaultKubeletDir };

    private static readonly Option<int> WarnDays = new("--warn-days")
    { Description = "Warn when a certificate expires within this many days", DefaultValueFactory = _ => PkiConstants.DefaultWarnDays };

    private static readonly Argument<string[]> Names = new("name")
    { Description = "Certificates to renew (e.g. apiserver admin.conf), or all", Arity = ArgumentArity.OneOrMore };

    private static readonly Option<string> Validity = new("--validity")
    { Description = "Validity of the renewed certificates, as a Go duration (capped at the CA's expiry)", DefaultValueFactory = _ => "8760h" };

    private static readonly Option<bool> DryRun = new("--dry-run") { Description = "Show what would be renewed and backed up; write nothing" };

    private static readonly Option<bool> Restart = new("--restart")
    { Description = "Restart the affected static pods on this node (manifest out and back) and wait until they are Ready" };

    private static readonly Option<string> NodeName = new("--node-name")
    { Description = "This node's name in the cluster, for the mirror pods (default: the host name)" };

    private static readonly Option<string> ManifestsDir = new("--manifests-dir")
    { Description = "The kubelet's static pod manifests directory", DefaultValueFactory = _ => PkiConstants.DefaultManifestsDir };

    private static readonly Option<string> ReadyTimeout = new("--timeout")
    { Description = "How long to wait for each restarted static pod to be Ready (Go duration)", DefaultValueFactory = _ => "5m" };

    private static readonly Option<string[]> Nodes = new("--node")
    { Description = "Control-plane nodes to work on through the node transport (repeat the flag or comma-separate) instead of this machine's files", AllowMultipleArgumentsPerToken = true };

    private static readonly NodeTransportOptions Transport = new();

    public static Command Create(CliServices services)
    {
        var certs = new Command("certs", "Check and renew the kubeadm certificates of this control-plane node");
        var check = new Command("check-expiration", "Check the expiration of the kubeadm certificates, their CAs and the kubelet's certificates")
        {
            PkiDir, KubeconfigDir, KubeletDir, WarnDays, Nodes,
        };
        Transport.AddTo(check);
        check.SetHandler(services, (parse, ct) => CheckAsync(services, parse, ct));
        var renew = new Command("renew", "Re-issue certificates as kubeadm does: same subject, SANs and usages, new key and serial")
        {
            Names, PkiDir, KubeconfigDir, Validity, DryRun, Restart, NodeName, ManifestsDir, ReadyTimeout, Nodes,
        };
        Transport.AddTo(renew);
        renew.SetHandler(services, (parse, ct) => RenewAsync(services, parse, ct));
        certs.Subcommands.Add(check);
        certs.Subcommands.Add(renew);
        return certs;
    }

    private static PkiLayout Layout(ParseResult parse, bool withKubelet) => new()
    {
        PkiDir = parse.GetValue(PkiDir)!,
        KubeconfigDir = parse.GetValue(KubeconfigDir)!,
        KubeletDir = withKubelet ? parse.GetValue(KubeletDir)! : PkiConstants.DefaultKubeletDir,
    };

    private static TextWriter Out(CliServices services) => services.Out.Profile.Out.Writer;

    /// <summary>A positive Go duration (8760h, 90m) for a flag, or one usage line.</summary>
    internal static TimeSpan ParseGoDuration(string text, string flag)
    {
        if (!GoDuration.TryParse(text, out var total))
            throw new DrydockException(new UsageError($"invalid {flag} \"{text}\": use a Go duration such as 8760h, 720h or 90m"));
        if (total <= TimeSpan.Zero) throw new DrydockException(new UsageError($"invalid {flag} \"{text}\": must be positive"));
        return total;
    }

    /// <summary>Go's text/tabwriter as kubeadm configures it (minwidth 10, padding 3); the last column is not padded.</summary>
    internal static string Tabulate(IReadOnlyList<string[]> rows)
    {
        var columns = rows.Max(r => r.Length);
        var widths = Enumerable.Range(0, columns)
            .Select(i => Math.Max(10, rows.Where(r => r.Length > i + 1).Select(r => r[i].Length).DefaultIfEmpty(0).Max() + 3))
            .ToArray();
        var sb = new StringBuilder();
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
                sb.Append(i < row.Length - 1 ? row[i].PadRight(widths[i]) : row[i]);
            sb.Append('\n');
        }
        return sb.ToString();
    }
}

internal static partial class CertsCommand
{
    private static async Task<int> CheckAsync(CliServices services, ParseResult parse, CancellationToken ct)
    {
        var warnDays = parse.GetValue(WarnDays);
        if (warnDays < 0) throw new DrydockException(new UsageError($"invalid --warn-days {warnDays}: must be 0 or more"));
        var layout = Layout(parse, withKubelet: true);
        var nodes = NodeList(parse);
        var options = new ExpirationOptions { WarnWithin = TimeSpan.FromDays(warnDays) };
        if (nodes.Count == 0)
        {
            var (local, _) = await new CertificateExpiryCheck([new LocalPkiFileStore()], layout, services.Time, options).RunAsync(ct);
            return Present(services, parse, layout, local[0], node: null);
        }

        // One table per control-plane node, read through the node agent (kubeadm's own command only sees one node).
        var kube = Transport.IsSandbox(parse) ? await services.KubeClientFactory(parse, ct) : null;
        await using var transport = Transport.Create(services, parse, kube);
        var exit = ErrorPresenter.Ok;
        foreach (var node in nodes)
        {
            var (reports, _) = await new CertificateExpiryCheck([new NodePkiFileStore(transport.Agents.For(node))], layout, services.Time, options).RunAsync(ct);
            exit = Math.Max(exit, Present(services, parse, layout, reports[0], node));
        }
        return exit;
    }

    private static int Present(CliServices services, ParseResult parse, PkiLayout layout, ExpirationReport report, string? node)
    {
        var where = node is null ? "" : $" on {node}";
        if (report.Certificates.All(r => r.Entry.State == EntryState.Missing) && report.Authorities.All(r => r.Entry.State == EntryState.Missing))
            services.Err.WriteLine($"warning: no kubeadm certificates found under {layout.PkiDir} or {layout.KubeconfigDir}{where} (use --pki-dir / --kubeconfig-dir)");

        var output = Out(services);
        switch (parse.Output())
        {
            case OutputFormat.Json: output.Write(ExpirationDocument.ToJson(ExpirationDocument.Build(report))); break;
            case OutputFormat.Yaml: output.Write(ExpirationDocument.ToYaml(ExpirationDocument.Build(report))); break;
            default:
                if (node is not null) output.Write($"[{node}]\n");
                output.Write(RenderTables(report));
                if (node is not null) output.Write("\n");
                break;
        }
        return report.HasErrors ? ErrorPresenter.Failed : ErrorPresenter.Ok;
    }

    internal static string RenderTables(ExpirationReport report)
    {
        var sb = new StringBuilder();
        var certRows = new List<string[]> { new[] { "CERTIFICATE", "EXPIRES", "RESIDUAL TIME", "CERTIFICATE AUTHORITY", "EXTERNALLY MANAGED", "STATUS" } };
        certRows.AddRange(report.Certificates.Select(r => new[] { Label(r), r.Expires, r.Residual, r.Entry.CaName ?? "", YesNo(r), Status(r) }));
        sb.Append(Tabulate(certRows)).Append('\n');
        var caRows = new List<string[]> { new[] { "CERTIFICATE AUTHORITY", "EXPIRES", "RESIDUAL TIME", "EXTERNALLY MANAGED", "STATUS" } };
        caRows.AddRange(report.Authorities.Select(r => new[] { Label(r), r.Expires, r.Residual, YesNo(r), Status(r) }));
        sb.Append(Tabulate(caRows)).Append('\n');
        var kubeletRows = new List<string[]> { new[] { "KUBELET CERTIFICATE", "EXPIRES", "RESIDUAL TIME", "STATUS" } };
        kubeletRows.AddRange(report.KubeletCertificates.Select(r => new[] { Label(r), r.Expires, r.Residual, Status(r) }));
        sb.Append(Tabulate(kubeletRows));
        sb.Append("kubelet certificate rotation: ").Append(report.KubeletRotation switch { true => "on", false => "off", null => "unknown (no kubelet config)" }).Append('\n');

        var problems = report.AllRows.Where(r => r.Status != CertificateStatus.Ok)
            .SelectMany(r => r.Problems.Select(p => (r.Status, Text: $"{r.Entry.Name}: {p}")))
            .Concat(report.Notes.Select(n => (Status: CertificateStatus.Warning, Text: n)))
            .OrderByDescending(p => p.Status)
            .ToList();
        if (problems.Count > 0)
        {
            sb.Append('\n');
            foreach (var (status, text) in problems) sb.Append(status == CertificateStatus.Error ? "ERROR    " : "WARNING  ").Append(text).Append('\n');
            var summary = ExpirationReport.Summarize(report);
            if (summary.Remedy is not null) sb.Append("To fix: ").Append(summary.Remedy).Append('\n');
        }
        return sb.ToString();
    }

    // kubeadm prints a missing file as "!MISSING! <name>" with the other columns empty.
    private static string Label(ExpirationRow r) => r.Entry.State switch
    {
        EntryState.Missing => "!MISSING! " + r.Entry.Name,
        EntryState.Invalid => "!INVALID! " + r.Entry.Name,
        _ => r.Entry.Name,
    };

    private static string YesNo(ExpirationRow r) => r.Entry.State == EntryState.Missing ? "" : r.Entry.ExternallyManaged ? "yes" : "no";

    private static string Status(ExpirationRow r) => r.Status switch
    {
        CertificateStatus.Ok => "ok",
        CertificateStatus.Warning => r.Entry.State == EntryState.Missing ? "MISSING" : "WARNING",
        _ => r.Entry.NotAfter is { } && r.Residual == "<invalid>" ? "EXPIRED" : "ERROR",
    };
}

internal static partial class CertsCommand
{
    private static async Task<int> RenewAsync(CliServices services, ParseResult parse, CancellationToken ct)
    {
        var names = parse.GetValue(Names) ?? [];
        var specs = CertificateRenewer.Resolve(names);
        var validity = ParseGoDuration(parse.GetValue(Validity)!, "--validity");
        var readyTimeout = ParseGoDuration(parse.GetValue(ReadyTimeout)!, "--timeout");
        var layout = Layout(parse, withKubelet: false);
        var nodes = NodeList(parse);
        if (nodes.Count == 0)
        {
            if (!Directory.Exists(layout.PkiDir))
                throw new DrydockException(new UsageError($"--pki-dir {layout.PkiDir} does not exist: point it at the node's kubeadm certificates directory"));
            var nodeName = parse.GetValue(NodeName) ?? Environment.MachineName.ToLowerInvariant();
            var local = new Drydock.Nodes.Local.LocalNodeAgent(nodeName, services.Time);
            return await RenewOnNodeAsync(services, parse, new LocalPkiFileStore(), local, nodeName, specs, validity, readyTimeout, layout, header: false, ct);
        }
        if (parse.GetValue(NodeName) is not null)
            throw new DrydockException(new UsageError("--node-name names this machine's node; with --node the node names come from --node"));

        // Each control plane has its own copies (kubeadm renews per node). One node at a time, its static pods
        // restarted before the next node is touched, so the other control planes keep serving meanwhile.
        var kube = Transport.IsSandbox(parse) ? await services.KubeClientFactory(parse, ct) : null;
        await using var transport = Transport.Create(services, parse, kube);
        var exit = ErrorPresenter.Ok;
        foreach (var node in nodes)
        {
            var agent = transport.Agents.For(node);
            var store = new NodePkiFileStore(agent);
            // Every kubeadm PKI has ca.crt (an external CA too): its absence means the wrong directory or node.
            if (!await store.ExistsAsync(layout.PkiDir.TrimEnd('/') + "/ca.crt", ct))
                throw new DrydockException(new OperationError($"node {node}: no {layout.PkiDir.TrimEnd('/')}/ca.crt: point --pki-dir at the node's kubeadm certificates directory"));
            exit = await RenewOnNodeAsync(services, parse, store, agent, node, specs, validity, readyTimeout, layout, header: true, ct);
            if (exit != ErrorPresenter.Ok)
            {
                var rest = nodes.SkipWhile(n => n != node).Skip(1).ToList();
                if (rest.Count > 0) services.Err.WriteLine($"error: stopping before {string.Join(", ", rest)}: {node} did not finish cleanly");
                break;
            }
        }
        return exit;
    }

    private static List<string> NodeList(ParseResult parse) =>
        (parse.GetValue(Nodes) ?? []).SelectMany(n => n.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct().ToList();

    private static async Task<int> RenewOnNodeAsync(CliServices services, ParseResult parse, IPkiFileStore store, Drydock.Nodes.INodeAgent agent, string nodeName,
        IReadOnlyList<CertificateSpec> specs, TimeSpan validity, TimeSpan readyTimeout, PkiLayout layout, bool header, CancellationToken ct)
    {
        var names = parse.GetValue(Names) ?? [];
        var dryRun = parse.GetValue(DryRun);
        var restart = parse.GetValue(Restart);
        var output = Out(services);
        if (header) output.WriteLine($"[{nodeName}]");
        var renewer = new CertificateRenewer(store, layout, services.Time);
        var result = await renewer.RenewAsync(specs, new RenewalOptions { Validity = validity, DryRun = dryRun }, ct);
        foreach (var o in result.Outcomes)
        {
            (o.Action == RenewalAction.Failed ? services.Err : output).WriteLine(o.Action == RenewalAction.Failed ? "error: " + o.Message : o.Message);
            if (o.Action is RenewalAction.Renewed or RenewalAction.WouldRenew)
            {
                output.WriteLine($"  {(dryRun ? "would expire" : "expires")} {ResidualTime.FormatExpires(o.NotAfter!.Value)} (was {ResidualTime.FormatExpires(o.OldNotAfter!.Value)}), new serial {o.Serial}");
                foreach (var b in o.Backups) output.WriteLine($"  {(dryRun ? "would back up" : "backup")}: {b}");
            }
        }

        var all = names.Contains("all");
        var pods = result.PodsToRestart;
        var exit = result.AnyFailed || (!all && result.Outcomes.Any(o => o.Action is RenewalAction.ExternalCa or RenewalAction.Missing or RenewalAction.Skipped))
            ? ErrorPresenter.Failed : ErrorPresenter.Ok;
        if (all && !dryRun && !result.AnyFailed) output.WriteLine(PkiConstants.RenewAllDoneMessage);
        if (pods.Count == 0) return exit;

        var manifests = parse.GetValue(ManifestsDir)!;
        var where = header ? nodeName : "this node";
        if (!restart || dryRun)
        {
            output.WriteLine($"Static pods that must restart on {where} to use the new certificates: {string.Join(", ", pods)}"
                + (dryRun ? "" : $" (use --restart, or move each manifest out of {manifests} for 20s and back)"));
            return exit;
        }
        if (exit != ErrorPresenter.Ok)
        {
            services.Err.WriteLine($"error: not restarting static pods on {where} because some certificates were not renewed; fix the errors above and run again");
            return exit;
        }

        var kube = await services.KubeClientFactory(parse, ct);
        var restarter = new StaticPodRestarter(agent, kube, services.Time,
            new StaticPodRestartOptions { NodeName = nodeName, ManifestsDir = manifests, ReadyTimeout = readyTimeout });
        var outcomes = await restarter.RestartAsync(pods, new LineProgress(services.Err), ct);
        foreach (var o in outcomes) (o.Ready ? output : services.Err).WriteLine(o.Ready ? o.Message : "error: " + o.Message);
        return outcomes.All(o => o.Ready) && outcomes.Count == pods.Count ? exit : ErrorPresenter.Failed;
    }
}

/// <summary>Writes progress lines as they happen (Progress&lt;T&gt; would post them later, out of order).</summary>
internal sealed class LineProgress(TextWriter writer) : IProgress<string>
{
    public void Report(string value) => writer.WriteLine(value);
}
