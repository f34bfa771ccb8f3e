using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Drydock.Cli.Infrastructure;
using Drydock.Common;
using Drydock.Etcd;
using Drydock.Etcd.Restore;
using Drydock.Etcd.Snapshot;
using Drydock.Nodes;
using Drydock.Nodes.Local;
using Spectre.Console;

namespace Drydock.Cli.Commands;

/// <summary>
/// <c>drydock etcd snapshot save|status|restore</c>, with etcdctl's connection flags (--endpoints --cacert --cert --key
/// --dial-timeout --command-timeout) and its ETCDCTL_* environment; defaults are kubeadm's control-plane files.
/// </summary>
[CliCommand(70)]
internal static class EtcdCommand
{
    public static Command Create(CliServices services)
    {
        var connection = new ConnectionOptions();
        // kubeadm's etcd listens on 127.0.0.1:2379 only: run these on a control-plane node, or from elsewhere forward
        // the port first (ssh -L 2379:127.0.0.1:2379 NODE) and copy the node's etcd CA and healthcheck-client pair.
        var etcd = new Command("etcd", "etcd snapshots: save (verified), status (offline), restore (through the node agent). "
            + "Run on a control-plane node, or forward its port: ssh -L 2379:127.0.0.1:2379 NODE");
        foreach (var o in connection.All) etcd.Options.Add(o);
        var snapshot = new Command("snapshot", "Save, inspect and restore etcd snapshots (etcdctl-compatible files)");
        snapshot.Subcommands.Add(Save(services, connection));
        snapshot.Subcommands.Add(Status(services));
        snapshot.Subcommands.Add(Restore(services, connection));
        etcd.Subcommands.Add(snapshot);
        return etcd;
    }

    private sealed class ConnectionOptions
    {
        public Option<string?> Endpoints { get; } = new("--endpoints") { Description = $"gRPC endpoints, comma separated (default {EtcdConstants.DefaultEndpoint}; env {EtcdConstants.EnvEndpoints})", Recursive = true };
        public Option<string?> CaCert { get; } = new("--cacert") { Description = $"CA bundle that signed the etcd server certificate (default {EtcdConstants.DefaultCaCert})", Recursive = true };
        public Option<string?> Cert { get; } = new("--cert") { Description = $"client certificate (default {EtcdConstants.DefaultCert})", Recursive = true };
        public Option<string?> Key { get; } = new("--key") { Description = $"client private key (default {EtcdConstants.DefaultKey})", Recursive = true };
        public Option<string?> DialTimeout { get; } = new("--dial-timeout") { Description = "timeout to connect to an endpoint (default 2s)", Recursive = true };
        public Option<string?> CommandTimeout { get; } = new("--command-timeout") { Description = "timeout of a call; for snapshots, the longest silence between two chunks (default 5s)", Recursive = true };

        public IEnumerable<Option> All => [Endpoints, CaCert, Cert, Key, DialTimeout, CommandTimeout];

        public EtcdOptions Resolve(ParseResult parse, CliServices services) => EtcdOptionsResolver.Resolve(new EtcdOptionsInput
        {
            Endpoints = parse.GetValue(Endpoints),
            CaCert = parse.GetValue(CaCert),
            Cert = parse.GetValue(Cert),
            Key = parse.GetValue(Key),
            DialTimeout = parse.GetValue(DialTimeout),
            CommandTimeout = parse.GetValue(CommandTimeout),
        }, services.GetEnv);
    }

    // ---------------------------------------------------------------- save

    private static Command Save(CliServices services, ConnectionOptions connection)
    {
        var file = new Argument<string?>("FILE") { Description = "where to write the snapshot (FILE.part while streaming)", Arity = ArgumentArity.ZeroOrOne };
        var dir = new Option<string?>("--dir") { Description = $"backup directory: writes {SnapshotRetention.Prefix}<UTC timestamp>{SnapshotRetention.Suffix} there" };
        var keep = new Option<int?>("--keep") { Description = "with --dir: keep only the newest N snapshots (the one just saved always stays)" };
        var keepDays = new Option<double?>("--keep-days") { Description = "with --dir: delete snapshots older than D days (the one just saved always stays)" };
        var command = new Command("save", "Stream a snapshot from ONE etcd member, verify its sha256, fsync, rename into place (mode 0600)") { file, dir, keep, keepDays };
        command.SetHandler(services, async (parse, ct) =>
        {
            var target = SaveTarget(parse.GetValue(file), parse.GetValue(dir), parse.GetValue(keep), parse.GetValue(keepDays), services.Time);
            var options = connection.Resolve(parse, services);
            await using var client = new EtcdClient(options, services.Time);
            var result = await SaveWithProgressAsync(services, parse, client, target.Path, ct);
            var deleted = target.Retention.IsEnabled
                ? SnapshotRetention.Apply(target.Directory!, target.Retention, services.Time.GetUtcNow(), result.Path)
                : [];
            if (parse.Output() is OutputFormat.Json or OutputFormat.Yaml)
            {
                Raw(services, Json(w =>
                {
                    w.WriteString("path", result.Path);
                    w.WriteString("endpoint", result.Endpoint.GetLeftPart(UriPartial.Authority));
                    w.WriteNumber("databaseBytes", result.DatabaseBytes);
                    w.WriteString("sha256", result.Sha256);
                    w.WriteNumber("seconds", Math.Round(result.Duration.TotalSeconds, 3));
                    w.WriteStartArray("deleted");
                    foreach (var d in deleted) w.WriteStringValue(d.Path);
                    w.WriteEndArray();
                }));
            }
            else
            {
                Raw(services, $"Snapshot saved at {result.Path}");
                Raw(services, $"  {HumanBytes(result.DatabaseBytes)} in {result.Duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s from {result.Endpoint.GetLeftPart(UriPartial.Authority)}, sha256 {result.Sha256} verified");
                foreach (var d in deleted) Raw(services, $"  deleted old snapshot {d.Path}");
            }
            return 0;
        });
        return command;
    }

    private sealed record SaveTargetSpec(string Path, string? Directory, RetentionOptions Retention);

    private static SaveTargetSpec SaveTarget(string? file, string? dir, int? keep, double? keepDays, TimeProvider time)
    {
        var problems = new List<string>();
        if (file is null == dir is null) problems.Add("give either FILE or --dir DIR");
        if ((keep is not null || keepDays is not null) && dir is null) problems.Add("--keep and --keep-days need --dir (a backup directory)");
        if (keep < 0) problems.Add("--keep must be 0 or more");
        if (keepDays < 0) problems.Add("--keep-days must be 0 or more");
        if (dir is not null && !Directory.Exists(dir)) problems.Add($"backup directory {dir} does not exist");
        if (problems.Count > 0) throw new DrydockException(new UsageError(string.Join("; ", problems)));
        return dir is null
            ? new SaveTargetSpec(file!, null, new RetentionOptions())
            : new SaveTargetSpec(Path.Combine(dir, SnapshotRetention.FileNameFor(time.GetUtcNow())), dir, new RetentionOptions { Keep = keep, KeepDays = keepDays });
    }

    private static async Task<SnapshotSaveResult> SaveWithProgressAsync(CliServices services, ParseResult parse, IEtcdClient client, string path, CancellationToken ct)
    {
        if (services.StdoutIsTty && parse.Output() is OutputFormat.Table)
        {
            SnapshotSaveResult? result = null;
            await services.Out.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn())
                .StartAsync(async ctx =>
                {
                    var task = ctx.AddTask("etcd snapshot", maxValue: 1);
                    var progress = new InlineProgress<SnapshotProgress>(p =>
                    {
                        if (p.TotalBytes is { } total) task.MaxValue = total;
                        task.Value = p.BytesReceived;
                    });
                    result = await new SnapshotSaver(client, services.Time).SaveAsync(path, progress, ct);
                });
            return result!;
        }
        // Plain lines on stderr, at most one a second: logs of cron jobs stay readable.
        var plain = new InlineProgress<SnapshotProgress>(p =>
        {
            if (p.Completed) return;
            var of = p.TotalBytes is { } t ? $" of {HumanBytes(t)}" : "";
            services.Err.WriteLine($"received {HumanBytes(p.BytesReceived)}{of} ({HumanBytes((long)p.BytesPerSecond)}/s)");
        });
        return await new SnapshotSaver(client, services.Time) { ProgressInterval = TimeSpan.FromSeconds(1) }.SaveAsync(path, plain, ct);
    }

    // ---------------------------------------------------------------- status

    private static Command Status(CliServices services)
    {
        var file = new Argument<string>("FILE") { Description = "snapshot file (read offline, no etcd needed)" };
        var command = new Command("status", "Hash, revision, total keys and size of a snapshot file, as etcdctl snapshot status prints them; checks its sha256") { file };
        command.SetHandler(services, async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            var status = await SnapshotStatusReader.ReadAsync(path, ct);
            if (status.Integrity == SnapshotIntegrity.HashMismatch)
                throw new DrydockException(new SnapshotFileError(path, "sha256 mismatch: the file was altered or damaged after it was saved"));
            if (status.Integrity == SnapshotIntegrity.NoHash)
                services.Err.WriteLine($"warning: {path} carries no sha256 (a copy of member/snap/db?): its integrity cannot be verified and restore needs --skip-hash-check");
            switch (parse.Output())
            {
                case OutputFormat.Json:
                    Raw(services, JsonSerializer.Serialize(status, SnapshotJsonContext.Default.SnapshotStatus));
                    break;
                case OutputFormat.Yaml:
                    Raw(services, $"hash: {status.Hash}\nrevision: {status.Revision}\ntotalKey: {status.TotalKey}\ntotalSize: {status.TotalSize}");
                    break;
                default:
                    var table = new Table().AddColumns("HASH", "REVISION", "TOTAL KEYS", "TOTAL SIZE");
                    table.AddRow(status.Hash.ToString("x", CultureInfo.InvariantCulture), status.Revision.ToString(CultureInfo.InvariantCulture),
                        status.TotalKey.ToString(CultureInfo.InvariantCulture), HumanBytes(status.TotalSize));
                    services.Out.Write(table);
                    break;
            }
            return 0;
        });
        return command;
    }

    // ---------------------------------------------------------------- restore

    private static Command Restore(CliServices services, ConnectionOptions connection)
    {
        var file = new Argument<string>("FILE") { Description = "snapshot saved by drydock or etcdctl (same path on the node)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "print every step and change nothing" };
        var yes = new Option<bool>("--yes", "-y") { Description = "do not ask for confirmation" };
        var transport = new Option<string>("--transport") { Description = "how to reach the node: local (Drydock runs on the control-plane node)", DefaultValueFactory = _ => "local" };
        var node = new Option<string?>("--node") { Description = "node name shown in the plan (default: this host's name)" };
        var manifests = new Option<string>("--manifests-dir") { Description = "static pod manifests directory", DefaultValueFactory = _ => EtcdConstants.ManifestsDir };
        var healthTimeout = new Option<string>("--health-timeout") { Description = "how long to wait for etcd to stop/start and the apiserver to be ready", DefaultValueFactory = _ => "5m" };
        var apiserverUrl = new Option<string?>("--apiserver-health-url") { Description = "apiserver readiness URL probed from the node (default https://127.0.0.1:<--secure-port>/readyz)" };
        var command = new Command("restore", "Restore a snapshot on a control-plane node: apiserver and etcd stopped, new data dir, manifests rewritten, health waited for; the old data dir is kept")
        {
            file, dryRun, yes, transport, node, manifests, healthTimeout, apiserverUrl,
        };
        command.SetHandler(services, async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            if (parse.GetValue(transport) != "local")
                throw new DrydockException(new UsageError($"--transport {parse.GetValue(transport)} is not available for etcd restore in this build; run on the control-plane node with --transport local"));
            if (!GoDuration.TryParse(parse.GetValue(healthTimeout), out var timeout) || timeout <= TimeSpan.Zero)
                throw new DrydockException(new UsageError($"--health-timeout \"{parse.GetValue(healthTimeout)}\" is not a positive duration (e.g. 5m)"));

            // Check the snapshot before anything else: structure, and the sha256 etcd appended.
            var status = await SnapshotStatusReader.ReadAsync(path, ct);
            if (status.Integrity != SnapshotIntegrity.HashMatches)
                throw new DrydockException(new SnapshotFileError(path, status.Integrity == SnapshotIntegrity.NoHash
                    ? "carries no sha256; restore only snapshots taken with drydock or etcdctl snapshot save"
                    : "sha256 mismatch: the file was altered or damaged after it was saved"));

            var options = connection.Resolve(parse, services);
            var nodeName = parse.GetValue(node) ?? Environment.MachineName.ToLowerInvariant();
            var agent = new LocalNodeAgent(nodeName, services.Time);
            var executor = new EtcdRestoreExecutor(
                n => n == nodeName ? agent : throw new NodeAgentException(n, "not reachable with --transport local"),
                endpoint => new EtcdClient(options with { Endpoints = [endpoint] }, services.Time),
                services.Time);
            var target = await executor.DiscoverAsync(nodeName, parse.GetValue(manifests)!, ct);
            var members = await TryMemberListAsync(services, options, ct);
            var restoreOptions = new EtcdRestoreOptions
            {
                SnapshotPath = Path.GetFullPath(path),
                Now = services.Time.GetUtcNow(),
                ExpectedRevision = status.Revision,
                Members = members,
                ApiServerHealthUrl = parse.GetValue(apiserverUrl),
                HealthTimeout = timeout,
            };
            var plan = EtcdRestorePlanner.Plan([target], restoreOptions);

            Raw(services, $"Restore {path} (revision {status.Revision}, {status.TotalKey} keys) on {nodeName}, {plan.Steps.Count} steps:");
            for (var i = 0; i < plan.Steps.Count; i++) Raw(services, $"{i + 1,2}. {plan.Steps[i].Render()}");
            if (parse.GetValue(dryRun))
            {
                Raw(services, "Dry run: nothing was changed.");
                return 0;
            }
            if (services.StdinIsTty && !parse.GetValue(yes) && !services.Out.Confirm("Stop the apiserver and etcd on this node and restore?", defaultValue: false))
            {
                services.Err.WriteLine("aborted: nothing was changed");
                return ErrorPresenter.Failed;
            }
            var progress = new InlineProgress<RestoreProgress>(p =>
            {
                if (!p.Finished) services.Err.WriteLine($"[{p.Index + 1}/{p.Count}] {p.Step.Node}: {p.Step.Description} ...");
                else if (p.Detail is not null) services.Err.WriteLine($"[{p.Index + 1}/{p.Count}] {p.Detail}");
            });
            var restored = await executor.ExecuteAsync(plan, restoreOptions, progress, ct);
            foreach (var m in restored)
                Raw(services, $"Restored member {m.Name} on {m.Node}: data dir {m.NewDataDir} (old data kept in {m.OldDataDir}; original manifest in {m.AsideDir})");
            return 0;
        });
        return command;
    }

    /// <summary>The live member list, when etcd still answers; a restore after a disaster goes on without it.</summary>
    private static async Task<IReadOnlyList<EtcdMember>?> TryMemberListAsync(CliServices services, EtcdOptions options, CancellationToken ct)
    {
        try
        {
            await using var client = new EtcdClient(options, services.Time);
            return await client.MemberListAsync(ct);
        }
        catch (DrydockException ex) when (ex.Error is EtcdError)
        {
            services.Err.WriteLine($"warning: cannot list etcd members ({ex.Error.Message}); using the manifest's --initial-cluster");
            return null;
        }
    }

    // ---------------------------------------------------------------- helpers

    private sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    /// <summary>Writes a line as-is (no markup, no wrapping), so JSON and paths survive any console width.</summary>
    private static void Raw(CliServices services, string line) => services.Out.Profile.Out.Writer.WriteLine(line);

    private static string Json(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>go-humanize's Bytes, as etcdctl's table prints sizes: SI units, "20 kB", "2.1 MB".</summary>
    internal static string HumanBytes(long bytes)
    {
        if (bytes < 10) return $"{bytes} B";
        string[] units = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];
        var e = Math.Floor(Math.Log(bytes) / Math.Log(1000));
        var value = Math.Floor(bytes / Math.Pow(1000, e) * 10 + 0.5) / 10;
        // Go's %.0f / %.1f round half to even (20480 bytes → "20 kB").
        var text = value < 10
            ? Math.Round(value, 1, MidpointRounding.ToEven).ToString("0.0", CultureInfo.InvariantCulture)
            : Math.Round(value, 0, MidpointRounding.ToEven).ToString("0", CultureInfo.InvariantCulture);
        return text + " " + units[(int)e];
    }
}
