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
        var file = new Argument<string?>("FILE") { Description = "snapshot saved by drydock or etcdctl, on this machine (copied to the nodes first with --transport ssh|sandbox)", Arity = ArgumentArity.ZeroOrOne };
        var onNode = new Option<string?>("--snapshot-on-node") { Description = "the snapshot is already on every node at this path: no copy (instead of FILE)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "print every step and change nothing" };
        var yes = new Option<bool>("--yes", "-y") { Description = "do not ask for confirmation" };
        var skipHash = new Option<bool>("--skip-hash-check") { Description = "restore a file without the trailing sha256 (a copy of member/snap/db), as etcdutl --skip-hash-check" };
        var transport = new Option<string>("--transport") { Description = "how to reach the nodes: local (Drydock runs on the control-plane node), ssh, or sandbox", DefaultValueFactory = _ => "local" };
        transport.AcceptOnlyFromAmong("local", "ssh", "sandbox");
        var nodes = new Option<string[]>("--node")
        {
            Description = "control-plane node(s) to restore on: repeat or comma-separate, every etcd member for HA (ssh/sandbox: required; local: the name shown in the plan, default this host)",
            AllowMultipleArgumentsPerToken = true,
        };
        var manifests = new Option<string>("--manifests-dir") { Description = "static pod manifests directory", DefaultValueFactory = _ => EtcdConstants.ManifestsDir };
        var healthTimeout = new Option<string>("--health-timeout") { Description = "how long to wait for etcd to stop/start and the apiserver to be ready", DefaultValueFactory = _ => "5m" };
        var apiserverUrl = new Option<string?>("--apiserver-health-url") { Description = "apiserver readiness URL probed from the node (default https://127.0.0.1:<--secure-port>/readyz)" };
        var command = new Command("restore", "Restore a snapshot on control-plane nodes: apiserver and etcd stopped, new data dir, manifests rewritten, health waited for; the old data dir is kept")
        {
            file, onNode, dryRun, yes, skipHash, nodes, manifests, healthTimeout, apiserverUrl,
        };
        // The shared --ssh-* flags; its --transport (ssh|sandbox, default ssh) gives way to ours, which adds local as the
        // default, and its package flags are left out (a restore installs nothing).
        var remote = new NodeTransportOptions();
        remote.AddTo(command);
        foreach (var unused in new Option[] { remote.Transport, remote.PackageManager, remote.RepoUrl }) command.Options.Remove(unused);
        command.Options.Add(transport);
        command.SetHandler(services, async (parse, ct) =>
        {
            var request = RestoreRequest.From(parse.GetValue(file), parse.GetValue(onNode), parse.GetValue(transport)!,
                (parse.GetValue(nodes) ?? []).SelectMany(n => n.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct().ToList());
            if (!GoDuration.TryParse(parse.GetValue(healthTimeout), out var timeout) || timeout <= TimeSpan.Zero)
                throw new DrydockException(new UsageError($"--health-timeout \"{parse.GetValue(healthTimeout)}\" is not a positive duration (e.g. 5m)"));
            var skipHashCheck = parse.GetValue(skipHash);

            // Check a local snapshot before anything else: structure, and the sha256 etcd appended.
            SnapshotStatus? status = null;
            SnapshotUpload? upload = null;
            if (request.LocalFile is { } local)
            {
                status = await SnapshotStatusReader.ReadAsync(local, ct);
                if (status.Integrity == SnapshotIntegrity.HashMismatch)
                    throw new DrydockException(new SnapshotFileError(local, "sha256 mismatch: the file was altered or damaged after it was saved"));
                if (status.Integrity == SnapshotIntegrity.NoHash && !skipHashCheck)
                    throw new DrydockException(new SnapshotFileError(local, "carries no sha256 (a copy of member/snap/db?); pass --skip-hash-check to restore it anyway, or restore a file taken with drydock or etcdctl snapshot save"));
                if (request.Transport != "local")
                    upload = new SnapshotUpload(new FileInfo(local).Length, await SnapshotHash.FileSha256Async(local, ct));
            }

            await using var agents = await RestoreAgentsAsync(services, parse, remote, request, ct);
            var executor = new EtcdRestoreExecutor(
                agents.For,
                endpoint => new EtcdClient(connection.Resolve(parse, services) with { Endpoints = [endpoint] }, services.Time),
                services.Time);
            var targets = new List<RestoreTarget>();
            foreach (var n in agents.Nodes)
            {
                try { targets.Add(await executor.DiscoverAsync(n, parse.GetValue(manifests)!, ct)); }
                catch (NodeAgentException ex)
                {
                    throw new DrydockException(new UsageError($"{ex.Message} (check --node{(request.Transport == "ssh" ? " and the ssh settings" : "")}); nothing was changed"), ex);
                }
            }
            // Off-node, etcd's default endpoint (127.0.0.1:2379) is not the cluster's: ask for the members only when told where.
            var askMembers = request.Transport == "local" || parse.GetValue(connection.Endpoints) is not null || services.GetEnv(EtcdConstants.EnvEndpoints) is not null;
            var members = askMembers ? await TryMemberListAsync(services, connection.Resolve(parse, services), ct) : null;
            var restoreOptions = new EtcdRestoreOptions
            {
                SnapshotPath = request.LocalFile is { } f ? Path.GetFullPath(f) : request.NodePath!,
                Upload = upload,
                SkipHashCheck = skipHashCheck,
                WatchEtcdFromNode = request.Transport != "local",
                Now = services.Time.GetUtcNow(),
                ExpectedRevision = status?.Revision,
                Members = members,
                ApiServerHealthUrl = parse.GetValue(apiserverUrl),
                HealthTimeout = timeout,
            };
            var plan = EtcdRestorePlanner.Plan(targets, restoreOptions);

            var what = status is null ? request.NodePath! : $"{request.LocalFile} (revision {status.Revision}, {status.TotalKey} keys)";
            Raw(services, $"Restore {what} on {string.Join(", ", agents.Nodes)}, {plan.Steps.Count} steps:");
            for (var i = 0; i < plan.Steps.Count; i++) Raw(services, $"{i + 1,2}. {plan.Steps[i].Render()}");
            if (parse.GetValue(dryRun))
            {
                Raw(services, "Dry run: nothing was changed.");
                return 0;
            }
            if (services.StdinIsTty && !parse.GetValue(yes) && !services.Out.Confirm($"Stop the apiserver and etcd on {string.Join(", ", agents.Nodes)} and restore?", defaultValue: false))
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

    /// <summary>Where the snapshot is and which nodes to restore, checked before anything is touched.</summary>
    private sealed record RestoreRequest(string? LocalFile, string? NodePath, string Transport, IReadOnlyList<string> Nodes)
    {
        public static RestoreRequest From(string? file, string? onNode, string transport, IReadOnlyList<string> nodes)
        {
            if (file is not null && onNode is not null)
                throw new DrydockException(new UsageError("give either FILE (a snapshot on this machine) or --snapshot-on-node PATH (already on the nodes), not both"));
            if (file is null && onNode is null)
                throw new DrydockException(new UsageError("give the snapshot: FILE (on this machine) or --snapshot-on-node PATH (already on the nodes)"));
            if (transport == "local")
            {
                if (nodes.Count > 1)
                    throw new DrydockException(new UsageError($"--transport local restores this machine only, but {nodes.Count} nodes were given; use --transport ssh (or sandbox) to restore several nodes"));
                // This machine is the node: a path "on the node" is a local file, checked here like FILE.
                return new RestoreRequest(file ?? onNode, null, transport, nodes);
            }
            if (nodes.Count == 0)
                throw new DrydockException(new UsageError($"--transport {transport} needs --node NAME (repeat it, or comma-separate, for every control-plane node)"));
            return new RestoreRequest(file, onNode, transport, nodes);
        }
    }

    /// <summary>The node agents of a restore, and what must be disposed with them.</summary>
    private sealed class RestoreAgents(IReadOnlyList<string> nodes, Func<string, INodeAgent> agents, IAsyncDisposable? owned) : IAsyncDisposable
    {
        public IReadOnlyList<string> Nodes { get; } = nodes;
        public INodeAgent For(string node) => Nodes.Contains(node) ? agents(node) : throw new NodeAgentException(node, "is not one of the --node names of this restore");
        public ValueTask DisposeAsync() => owned?.DisposeAsync() ?? ValueTask.CompletedTask;
    }

    private static async Task<RestoreAgents> RestoreAgentsAsync(CliServices services, ParseResult parse, NodeTransportOptions remote, RestoreRequest request, CancellationToken ct)
    {
        switch (request.Transport)
        {
            case "local":
                var name = request.Nodes.SingleOrDefault() ?? Environment.MachineName.ToLowerInvariant();
                var agent = new LocalNodeAgent(name, services.Time);
                return new RestoreAgents([name], _ => agent, null);
            case "sandbox":
                var kube = await services.KubeClientFactory(parse, ct);
                if (kube.Server.Scheme is not ("http" or "https"))
                    throw new DrydockException(new UsageError($"--transport sandbox needs a sandbox served over HTTP (`drydock sandbox serve`); the kubeconfig's server is {kube.Server}"));
                var sandbox = new Drydock.Nodes.Sandbox.SandboxNodeAgentFactory(kube.Server);
                return new RestoreAgents(request.Nodes, sandbox.For, new SyncDisposable(sandbox));
            default:
                var inventoryPath = parse.GetValue(remote.Inventory);
                if (inventoryPath is not null)
                {
                    var inventory = Drydock.Nodes.Ssh.SshInventory.Load(inventoryPath);
                    var unknown = request.Nodes.Where(n => !inventory.Nodes.ContainsKey(n)).ToList();
                    if (unknown.Count > 0)
                        throw new DrydockException(new UsageError($"node {string.Join(", ", unknown)} is not in the ssh inventory {inventoryPath} (nodes: {string.Join(", ", inventory.Nodes.Keys)}); nothing was changed"));
                }
                var ssh = remote.Create(services, parse, null);
                return new RestoreAgents(request.Nodes, ssh.Agents.For, ssh);
        }
    }

    private sealed class SyncDisposable(IDisposable inner) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() { inner.Dispose(); return ValueTask.CompletedTask; }
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
