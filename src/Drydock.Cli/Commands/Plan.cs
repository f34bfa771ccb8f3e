using System.CommandLine;
using Drydock.Cli.Infrastructure;
using Drydock.Common;
using Drydock.Planning;
using Drydock.Etcd;
using Drydock.Pki;
using Drydock.Planning.Inventory;
using Drydock.Planning.Preflight;
using Drydock.Planning.Reporting;
using Drydock.Planning.Upgrade;
using Drydock.Versions;
using Spectre.Console;

namespace Drydock.Cli.Commands;

/// <summary>
/// <c>drydock plan [--to vX.Y.Z] [--snapshot FILE] [--max-unavailable N|P%]</c>: kubeadm's upgrade plan plus the
/// node plan, preflight checks and the next command. Exit 0 when the plan can run, 1 when a check fails, 2 for bad input.
/// </summary>
[CliCommand(20)]
internal static class PlanCommand
{
    public static readonly Option<string?> To = new("--to") { Description = "Target Kubernetes version (vX.Y.Z); default: the newest patch of the next minor, like kubeadm upgrade plan" };
    public static readonly Option<string?> Snapshot = new("--snapshot") { Description = "Plan against a snapshot file (kubectl get nodes,pods,deploy,rs,sts,ds,jobs,pdb,cm -A -o json) instead of the live cluster" };
    public static readonly Option<string> MaxUnavailable = new("--max-unavailable") { Description = "Worker nodes upgraded at once: a number or a percentage of workers (rounded down, at least 1)", DefaultValueFactory = _ => "1" };
    public static readonly Option<string> ReleaseUrl = new("--release-url") { Description = "Where to read release markers (stable-1.Y.txt)", DefaultValueFactory = _ => ReleaseMarkerClient.DefaultBaseUrl };
    public static readonly Option<bool> AllowExperimental = new("--allow-experimental-upgrades") { Description = "Allow alpha, beta and release-candidate targets (kubeadm's flag)" };
    public static readonly Option<bool> AllowRc = new("--allow-release-candidate-upgrades") { Description = "Allow release-candidate targets (kubeadm's flag)" };
    public static readonly Option<string> BatchStrategy = new("--strategy", "--batch-strategy") { Description = Drydock.Scheduling.BatchStrategies.FlagHelp, DefaultValueFactory = _ => "smart" };
    public static readonly Option<bool> Force = new("--force") { Description = "Accept a downgrade of at most one minor (kubeadm's skippable version errors)" };
    // Integrations (issues 7, 8): each adds its preflight row only when configured, so the default plan is unchanged.
    public static readonly Option<string?> EtcdEndpoints = new("--etcd-endpoints") { Description = $"Check etcd health at these gRPC endpoints, comma separated (etcdctl's --endpoints; env {EtcdConstants.EnvEndpoints})" };
    public static readonly Option<string?> EtcdCaCert = new("--etcd-cacert") { Description = $"CA bundle of the etcd server certificate (etcdctl's --cacert; default {EtcdConstants.DefaultCaCert} for https)" };
    public static readonly Option<string?> EtcdCert = new("--etcd-cert") { Description = $"etcd client certificate (etcdctl's --cert; default {EtcdConstants.DefaultCert})" };
    public static readonly Option<string?> EtcdKey = new("--etcd-key") { Description = $"etcd client private key (etcdctl's --key; default {EtcdConstants.DefaultKey})" };
    public static readonly Option<string?> BackupDir = new("--backup-dir") { Description = "Check that this directory holds a recent verified etcd snapshot (written by drydock etcd snapshot save --dir)" };
    public static readonly Option<string> BackupMaxAge = new("--backup-max-age") { Description = "With --backup-dir: warn when the newest snapshot is older than this (Go duration)", DefaultValueFactory = _ => "24h" };
    public static readonly Option<string?> PkiDir = new("--pki-dir") { Description = "Check certificate expiry in this local kubeadm certificatesDir (run plan on a control-plane node); kubeconfigs are read from its parent directory" };
    public static readonly Option<string> KubeletDir = new("--kubelet-dir") { Description = "With --pki-dir: the kubelet's directory", DefaultValueFactory = _ => PkiConstants.DefaultKubeletDir };
    public static readonly Option<string> RenewalHorizon = new("--cert-renewal-horizon") { Description = "With --pki-dir: warn about certificates that expire before the upgrade renews them, this long from now (Go duration)", DefaultValueFactory = _ => "1h" };

    public static Command Create(CliServices services)
    {
        var command = new Command("plan", "Show what an upgrade will do, what blocks it, and the command to run next (kubeadm upgrade plan, and more)")
        {
            To, Snapshot, MaxUnavailable, BatchStrategy, ReleaseUrl, AllowExperimental, AllowRc, Force,
            EtcdEndpoints, EtcdCaCert, EtcdCert, EtcdKey, BackupDir, BackupMaxAge, PkiDir, KubeletDir, RenewalHorizon,
        };
        command.SetHandler(services, (parse, ct) => Handle(services, parse, ct));
        return command;
    }

    internal static async Task<int> Handle(CliServices services, ParseResult parse, CancellationToken ct)
    {
        var to = parse.GetValue(To) is { } t ? KubeVersion.Parse(t, "--to version") : null;
        var batch = BatchSize.Parse(parse.GetValue(MaxUnavailable));
        var releaseUrl = ParseUrl(parse.GetValue(ReleaseUrl));
        // The same strategies as upgrade and rehearse, so the plan shows the batches the upgrade will run.
        IBatchStrategy strategy = parse.GetValue(BatchStrategy) is "fixed" ? new FixedSizeBatchStrategy() : Drydock.Scheduling.BatchStrategies.Parse(parse.GetValue(BatchStrategy));
        var integrations = PlanIntegrations.Create(services, parse);
        await using var etcd = integrations.Etcd;
        var snapshot = await ReadSnapshot(services, parse, ct);

        using var http = new HttpClient();
        var request = new PlanRequest
        {
            To = to,
            PathOptions = new UpgradePathOptions
            {
                AllowExperimentalUpgrades = parse.GetValue(AllowExperimental),
                AllowReleaseCandidateUpgrades = parse.GetValue(AllowRc),
                Force = parse.GetValue(Force),
            },
            PlanOptions = new UpgradePlanOptions { MaxUnavailable = batch, BatchStrategy = strategy },
            VersionSource = new ReleaseMarkerClient(http, releaseUrl, services.Time),
            Checks = integrations.Checks.Count == 0 ? null : [.. PreflightRunner.BuiltIn, .. integrations.Checks],
        };
        var report = await PlanReportBuilder.BuildAsync(snapshot, request, ct);
        switch (parse.Output())
        {
            case OutputFormat.Json: Write(services, PlanReportSerializer.ToJson(report)); break;
            case OutputFormat.Yaml: Write(services, PlanReportSerializer.ToYaml(report)); break;
            default: WriteStyled(services, PlanTextRenderer.Render(report, parse.Verbose())); break;
        }
        return report.Blocked ? ErrorPresenter.Failed : ErrorPresenter.Ok;
    }

    /// <summary>--snapshot FILE, else the live cluster through the kubeconfig's client.</summary>
    internal static async Task<ClusterSnapshot> ReadSnapshot(CliServices services, ParseResult parse, CancellationToken ct)
    {
        if (parse.GetValue(Snapshot) is { } file) return SnapshotLoader.LoadFile(file);
        var client = await services.KubeClientFactory(parse, ct);
        return await new ClusterInventory(client, services.Time).ReadAsync(ct);
    }

    private static Uri ParseUrl(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps)
            ? u
            : throw new DrydockException(new UsageError($"invalid --release-url \"{text}\": expected an http(s) URL such as {ReleaseMarkerClient.DefaultBaseUrl}"));

    /// <summary>Raw text to stdout (no wrapping, no markup), for JSON/YAML and non-terminal output.</summary>
    internal static void Write(CliServices services, string text)
    {
        var w = services.Out.Profile.Out.Writer;
        w.Write(text);
        if (!text.EndsWith('\n')) w.WriteLine();
        w.Flush();
    }

    /// <summary>Coloured on a terminal (blockers red), plain otherwise so pipes and golden files see exact text.</summary>
    internal static void WriteStyled(CliServices services, IReadOnlyList<StyledLine> lines)
    {
        if (!services.StdoutIsTty)
        {
            Write(services, string.Join('\n', lines.Select(l => l.Text)) + "\n");
            return;
        }
        foreach (var l in lines)
        {
            var text = Markup.Escape(l.Text);
            services.Out.MarkupLine(l.Style switch
            {
                LineStyle.Fail => $"[red]{text}[/]",
                LineStyle.Warn => $"[yellow]{text}[/]",
                LineStyle.Pass => $"[green]{text}[/]",
                LineStyle.Heading => $"[bold]{text}[/]",
                LineStyle.Command => $"[cyan]{text}[/]",
                _ => text,
            });
        }
    }
}

/// <summary>
/// The plan's optional preflight integrations (etcd health, etcd backup age, certificate expiry), each built only
/// when its flags (or ETCDCTL_* for etcd) are given. When any is, etcd-health is listed too, saying how to configure
/// it if it was not. Bad values are reported together in one usage error.
/// </summary>
internal sealed record PlanIntegrations(IReadOnlyList<IPreflightCheck> Checks, EtcdClient? Etcd)
{
    public static PlanIntegrations Create(CliServices services, ParseResult parse)
    {
        var problems = new List<string>();
        var checks = new List<IPreflightCheck>();
        EtcdOptions? etcdOptions = null;
        var endpointsGiven = !string.IsNullOrWhiteSpace(parse.GetValue(PlanCommand.EtcdEndpoints))
            || !string.IsNullOrWhiteSpace(services.GetEnv(EtcdConstants.EnvEndpoints));
        if (endpointsGiven)
        {
            try
            {
                etcdOptions = EtcdOptionsResolver.Resolve(new EtcdOptionsInput
                {
                    Endpoints = parse.GetValue(PlanCommand.EtcdEndpoints),
                    CaCert = parse.GetValue(PlanCommand.EtcdCaCert),
                    Cert = parse.GetValue(PlanCommand.EtcdCert),
                    Key = parse.GetValue(PlanCommand.EtcdKey),
                }, services.GetEnv);
            }
            catch (DrydockException e) when (e.Error is UsageError u) { problems.Add($"etcd: {u.Message}"); }
        }

        if (parse.GetValue(PlanCommand.BackupDir) is { } backupDir)
        {
            var maxAge = Duration(PlanCommand.BackupMaxAge, parse, problems);
            checks.Add(new EtcdBackupAgeCheck(backupDir, maxAge, services.Time));
        }

        if (parse.GetValue(PlanCommand.PkiDir) is { } pkiDir)
        {
            var horizon = Duration(PlanCommand.RenewalHorizon, parse, problems);
            if (!Directory.Exists(pkiDir)) problems.Add($"--pki-dir {pkiDir} is not a directory (kubeadm's is {PkiConstants.DefaultPkiDir})");
            var full = Path.GetFullPath(pkiDir).TrimEnd('/');
            var layout = new PkiLayout { PkiDir = full, KubeconfigDir = Path.GetDirectoryName(full) ?? "/", KubeletDir = parse.GetValue(PlanCommand.KubeletDir)! };
            checks.Add(new CertificateExpiryPreflightCheck([new LocalPkiFileStore()], null, layout, services.Time, horizon));
        }

        if (problems.Count > 0) throw new DrydockException(new UsageError(string.Join("; ", problems)));
        var etcd = etcdOptions is null ? null : new EtcdClient(etcdOptions, services.Time);
        if (etcd is not null || checks.Count > 0) checks.Insert(0, new EtcdHealthCheck(etcd));
        return new PlanIntegrations(checks, etcd);
    }

    private static TimeSpan Duration(Option<string> option, ParseResult parse, List<string> problems)
    {
        var text = parse.GetValue(option);
        if (GoDuration.TryParse(text, out var value) && value > TimeSpan.Zero) return value;
        problems.Add($"invalid {option.Name} \"{text}\": expected a positive duration such as 24h or 90m");
        return TimeSpan.Zero;
    }
}
