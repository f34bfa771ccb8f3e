using System.CommandLine;
using System.Globalization;
using Drydock.Cli.Infrastructure;
using Drydock.Common;
using Drydock.Drain;
using Drydock.Etcd.Backup;
using Drydock.Kube;
using Drydock.Nodes;
using Drydock.Nodes.Shell;
using Drydock.Nodes.Ssh;
using Drydock.Orchestration;
using Drydock.Planning;
using Drydock.Planning.Inventory;
using Drydock.Planning.Preflight;
using Drydock.Planning.Upgrade;
using Drydock.Versions;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Drydock.Cli.Commands;

/// <summary>
/// `drydock upgrade --to vX.Y.Z [--resume] | status | abort` — the seeds' rolling kubeadm upgrade across the cluster.
/// The library does the work (<see cref="RolloutExecutor"/>); this file parses flags, picks the node transport,
/// confirms on a TTY, and renders progress (live view on a TTY, plain lines when piped, JSON lines with -o json).
/// </summary>
[CliCommand(50)]
internal static class UpgradeCommand
{
    public static Command Create(CliServices services)
    {
        var to = new Option<string?>("--to") { Description = "Target Kubernetes version, e.g. v1.28.4 (two minors ahead runs hop after hop)" };
        var resume = new Option<bool>("--resume") { Description = "Continue the unfinished run recorded in the cluster from its last completed step" };
        var strategy = new Option<string>("--strategy") { Description = Drydock.Scheduling.BatchStrategies.FlagHelp, DefaultValueFactory = _ => "smart" };
        var skipBackup = new Option<bool>("--skip-backup") { Description = "Do not take and verify an etcd snapshot on the first control plane before upgrading" };
        var backupDir = new Option<string>("--backup-dir") { Description = "Directory on the control-plane node for the pre-upgrade etcd snapshot", DefaultValueFactory = _ => new NodeBackupOptions().Directory };
        var shared = RolloutCliOptions.Create();
        var command = new Command("upgrade", "Upgrade the cluster as the kubeadm guides do, node by node: control planes first, then workers in batches; durable and resumable")
        {
            to, resume, skipBackup, backupDir, strategy,
        };
        shared.AddTo(command);
        command.Subcommands.Add(StatusCommand(services));
        command.Subcommands.Add(AbortCommand(services));

        command.SetHandler(services, async (parse, ct) =>
        {
            var target = parse.GetValue(to);
            if (parse.GetValue(resume))
            {
                if (target is not null) throw new DrydockException(new UsageError("--resume continues the recorded run and takes no --to; drop one of them"));
                return await RolloutCli.RunAsync(services, parse, shared, plan: null, ct);
            }
            if (target is null) throw new DrydockException(new UsageError("missing --to vX.Y.Z (or --resume to continue a run)"));
            var targetVersion = KubeVersion.Parse(target, "--to version");
            var batch = BatchSize.TryParse(parse.GetValue(shared.MaxUnavailable) ?? "1", out var batchError) ?? throw new DrydockException(new UsageError(batchError));
            var kube = await services.KubeClientFactory(parse, ct);
            var snapshot = await new ClusterInventory(kube, services.Time).ReadAsync(ct);
            await using var transport = await RolloutCli.TransportAsync(services, parse, shared, kube, ct);
            var firstCp = snapshot.ControlPlaneNodes.Select(n => n.Name).Order(StringComparer.Ordinal).FirstOrDefault();
            // The plan is the Planning layer's (hops, order, batches, preflight); the first control plane's package
            // repository says which patch releases exist, as `apt-cache madison kubeadm` does in the guides.
            var report = await PlanReportBuilder.BuildAsync(snapshot, new PlanRequest
            {
                To = targetVersion,
                PlanOptions = new UpgradePlanOptions { MaxUnavailable = batch, BatchStrategy = parse.GetValue(strategy) is "fixed" or null ? new FixedSizeBatchStrategy() : Drydock.Scheduling.BatchStrategies.Parse(parse.GetValue(strategy)) },
                VersionSource = firstCp is null ? null : new PackageRepositoryVersionSource(transport.Agents.For(firstCp)),
                // Over ssh the control planes' certificates are read too: an expired one, or one that expires before
                // the upgrade renews it, is named up front. (Sandbox nodes simulate no PKI files.)
                Checks = parse.GetValue(shared.Transport) == "ssh"
                    ? [.. PreflightRunner.BuiltIn, new CertificateExpiryPreflightCheck([], transport.Agents, new Pki.PkiLayout(), services.Time, CertificateExpiryPreflightCheck.DefaultRenewalHorizon)]
                    : null,
            }, ct);
            foreach (var p in report.Preflight.Where(p => p.Status == PreflightStatus.Warn))
                services.Err.WriteLine($"Warning: preflight {p.Check}: {p.Summary}");
            if (report.Blocked)
            {
                foreach (var p in report.Preflight.Where(p => p.Status == PreflightStatus.Fail))
                    services.Err.WriteLine($"preflight {p.Check}: {p.Summary}{(p.Remedy is null ? "" : $" ({p.Remedy})")}");
                throw new DrydockException(new OperationError($"preflight checks block the upgrade to {targetVersion}; see `drydock plan --to {targetVersion}`"));
            }
            if (report.Plan.UpToDate)
            {
                services.Out.WriteLine($"The cluster already runs {report.ClusterVersion}; nothing to upgrade.");
                return 0;
            }
            // "Back up before you upgrade" (every guide): after the operator confirmed, before the first change.
            Func<Task>? backup = parse.GetValue(skipBackup) || firstCp is null ? null : async () =>
            {
                if (snapshot.ControlPlane.FirstOrDefault(c => c.Node == firstCp)?.Etcd is null)
                {
                    services.Err.WriteLine($"Warning: no etcd static pod on {firstCp} (external etcd?): back it up yourself; no snapshot taken");
                    return;
                }
                var saved = await NodeSnapshotBackup.TakeAsync(transport.Agents.For(firstCp), new NodeBackupOptions { Directory = parse.GetValue(backupDir)! }, services.Time, ct);
                var line = $"etcd snapshot {saved.Node}:{saved.Path} verified (revision {saved.Status.Revision}, {saved.Status.TotalKey} keys, hash {saved.Status.Hash:x})";
                // -o json keeps stdout a pure stream of step events.
                if (parse.Output() == OutputFormat.Json) services.Err.WriteLine(line);
                else services.Out.Profile.Out.Writer.WriteLine(line);
            };
            return await RolloutCli.RunAsync(services, parse, shared, UpgradePlanAdapter.ToRolloutPlan(report.Plan), ct, kube, transport, backup);
        });
        return command;
    }

    private static Command StatusCommand(CliServices services)
    {
        var command = new Command("status", "Show where the recorded upgrade or maintenance run stands, node by node, and who holds the lock");
        command.SetHandler(services, async (parse, ct) =>
        {
            var kube = await services.KubeClientFactory(parse, ct);
            var state = await new ConfigMapRunStateStore(kube).LoadAsync(ct);
            var holder = await new LeaseClusterLock(kube, services.Time).ReadAsync(ct);
            if (parse.Output() == OutputFormat.Json)
            {
                services.Out.Profile.Out.Writer.WriteLine(state is null ? "null" : OrchestrationJson.Serialize(state));
                return 0;
            }
            if (state is null)
            {
                services.Out.WriteLine($"No run recorded (ConfigMap {RolloutConstants.Namespace}/{RolloutConstants.StateConfigMap} not found).");
                return 0;
            }
            RolloutCli.WriteStatus(services, state, holder);
            return 0;
        });
        return command;
    }

    private static Command AbortCommand(CliServices services)
    {
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation" };
        var command = new Command("abort", "Stop the recorded run cleanly: uncordon nodes whose procedure finished, report the rest, release the lock") { yes };
        command.SetHandler(services, async (parse, ct) =>
        {
            var kube = await services.KubeClientFactory(parse, ct);
            if (services.StdinIsTty && !parse.GetValue(yes) && !services.Out.Confirm("Abort the recorded run?", defaultValue: false)) return ErrorPresenter.Failed;
            var drain = new NodeDrainerDrainService(new NodeDrainer(kube, services.Time));
            var report = await RolloutAborter.AbortAsync(kube, new ConfigMapRunStateStore(kube), new LeaseClusterLock(kube, services.Time), drain,
                NoRunJournal.Instance, RolloutOptions.DefaultIdentity(), services.Time, ct);
            services.Out.WriteLine(report.Describe());
            return report.LeftCordoned.Count == 0 ? 0 : ErrorPresenter.Failed;
        });
        return command;
    }
}

/// <summary>Flags shared by `upgrade` and `maintain`: batching, confirmation, journal, drain, and the node transport.</summary>
internal sealed class RolloutCliOptions
{
    public Option<string?> MaxUnavailable { get; } = new("--max-unavailable") { Description = "Workers out of service at once: a count or a percentage of the workers (default 1)" };
    public Option<bool> Yes { get; } = new("--yes", "-y") { Description = "Do not ask for confirmation (never asked when stdin is not a terminal)" };
    public Option<string?> Journal { get; } = new("--journal") { Description = "Local journal file (JSON lines); default ~/.drydock/journal.jsonl" };
    public NodeTransportOptions Nodes { get; } = new();
    public Option<string> Transport => Nodes.Transport;
    public Option<bool> DeleteEmptyDir { get; } = new("--delete-emptydir-data") { Description = "Drain: continue even if pods use emptyDir" };
    public Option<bool> Force { get; } = new("--force") { Description = "Drain: also remove pods without a controller" };
    public Option<int> DrainTimeout { get; } = new("--drain-timeout") { Description = "Seconds to wait for one node's drain (PDBs) before failing it; 0 waits forever", DefaultValueFactory = _ => 0 };

    public static RolloutCliOptions Create() => new();

    public void AddTo(Command c)
    {
        foreach (var o in new Option[] { MaxUnavailable, Yes, Journal, DeleteEmptyDir, Force, DrainTimeout })
            c.Options.Add(o);
        Nodes.AddTo(c);
    }
}

/// <summary>A node-agent factory plus whatever must be closed after the run (SSH master connections).</summary>

/// <summary>The run itself for `upgrade` and `maintain`: transport, confirmation, executor, rendering, failure report.</summary>
internal static class RolloutCli
{
    public static async Task<int> RunAsync(CliServices services, ParseResult parse, RolloutCliOptions o, RolloutPlan? plan, CancellationToken ct,
        IKubeClient? kube = null, NodeTransport? transport = null, Func<Task>? beforeRun = null)
    {
        kube ??= await services.KubeClientFactory(parse, ct);
        var ownTransport = transport is null;
        transport ??= await TransportAsync(services, parse, o, kube, ct);
        try
        {
            var store = new ConfigMapRunStateStore(kube);
            var json = parse.Output() == OutputFormat.Json;
            var summary = plan is not null ? Describe(plan) : await DescribeResumeAsync(store, ct);
            if (!json) services.Out.WriteLine(summary);
            if (services.StdinIsTty && !parse.GetValue(o.Yes) && !services.Out.Confirm("Proceed?", defaultValue: false))
            {
                services.Err.WriteLine("aborted by user; nothing was changed");
                return ErrorPresenter.Failed;
            }
            if (beforeRun is not null) await beforeRun();
            var journalPath = parse.GetValue(o.Journal) ?? Path.Combine(services.GetEnv("HOME") ?? ".", ".drydock", "journal.jsonl");
            var drainTimeout = parse.GetValue(o.DrainTimeout);
            var drain = new NodeDrainerDrainService(new NodeDrainer(kube, services.Time), new DrainOptions
            {
                IgnoreDaemonSets = true, DeleteEmptyDirData = parse.GetValue(o.DeleteEmptyDir), Force = parse.GetValue(o.Force),
                Timeout = TimeSpan.FromSeconds(Math.Max(0, drainTimeout)),
            });
            var executor = new RolloutExecutor(kube, transport.Agents, drain, store, new JsonLinesRunJournal(journalPath, services.Time),
                new LeaseClusterLock(kube, services.Time), services.Time, new RolloutOptions { Identity = RolloutOptions.DefaultIdentity() });
            Func<IProgress<RolloutEvent>, Task<RolloutResult>> run = p => plan is null ? executor.ResumeAsync(p, ct) : executor.StartAsync(plan, p, ct);
            var result = json ? await run(new JsonLinesProgress(services))
                : services.StdoutIsTty ? await LiveRolloutView.RunAsync(services, run)
                : await run(new PlainLinesProgress(services));
            return Report(services, result, json, journalPath);
        }
        finally
        {
            if (ownTransport) await transport.DisposeAsync();
        }
    }

    private static int Report(CliServices services, RolloutResult result, bool json, string journalPath)
    {
        var state = result.State;
        switch (state.Status)
        {
            case RunStatus.Completed:
                if (!json) services.Out.WriteLine($"{Kind(state)} {state.RunId} complete: {state.Nodes.Values.Select(n => n.Node).Distinct().Count()} nodes, {state.CompletedSteps} steps. Journal: {journalPath}");
                return 0;
            case RunStatus.Aborted:
                services.Err.WriteLine($"{Kind(state)} {state.RunId} aborted (see `drydock upgrade status`)");
                return ErrorPresenter.Failed;
            default:
                if (state.Failure is { } f)
                {
                    services.Err.WriteLine($"node:    {f.Node}");
                    services.Err.WriteLine($"step:    {f.Step}");
                    if (f.Command is not null) services.Err.WriteLine($"command: {f.Command}");
                    if (f.ExitCode is not null) services.Err.WriteLine($"exit:    {f.ExitCode}");
                    if (f.Output.Length > 0) { services.Err.WriteLine("output:"); foreach (var l in f.Output.Split('\n')) services.Err.WriteLine("  " + l); }
                    services.Err.WriteLine($"journal: {journalPath}");
                    throw new DrydockException(new RolloutFailedError(f));
                }
                throw new DrydockException(new OperationError($"{Kind(state)} {state.RunId} stopped ({state.Status}); continue with `drydock upgrade --resume`"));
        }
    }

    private static string Kind(RunState s) => s.Plan.Kind == RolloutKind.Upgrade ? "upgrade" : "maintenance";

    public static string Describe(RolloutPlan plan)
    {
        var lines = new List<string>();
        foreach (var (hop, i) in plan.Hops.Select((h, i) => (h, i)))
        {
            lines.Add(plan.Kind == RolloutKind.Upgrade
                ? $"Hop {i + 1}/{plan.Hops.Count}: upgrade to v{hop.Version}{(hop.SwitchRepository ? $" (package repository moves to v{hop.Minor})" : "")}"
                : $"Maintenance: {(plan.Maintenance?.Command is { } c ? $"run `{c}`" : "no command")}{(plan.Maintenance?.Reboot == true ? ", reboot" : "")}");
            foreach (var b in hop.Batches)
                lines.Add($"  batch {b.Index + 1}{Stage(b.Stage)}: {string.Join(", ", b.Nodes.Select(n => n.Role == NodeRole.FirstControlPlane && b.Stage != BatchStage.Kubelet ? n.Name + " (kubeadm upgrade apply)" : n.Name))}");
        }
        return string.Join('\n', lines);
    }

    private static string Stage(BatchStage s) => s switch
    {
        BatchStage.ControlPlaneComponents => " (control-plane components)",
        BatchStage.Kubelet => " (kubelet)",
        _ => "",
    };

    private static async Task<string> DescribeResumeAsync(IRunStateStore store, CancellationToken ct)
    {
        var s = await store.LoadAsync(ct);
        return s is null ? "No run recorded." : $"Resuming {Kind(s)} {s.RunId} ({s.Status.ToString().ToLowerInvariant()}): {s.CompletedSteps}/{s.TotalSteps} steps done" +
            (s.Failure is { } f ? $"; it stopped at {f.Step} on {f.Node}: {f.Message}" : "");
    }

    public static Task<NodeTransport> TransportAsync(CliServices services, ParseResult parse, RolloutCliOptions o, IKubeClient kube, CancellationToken ct) =>
        Task.FromResult(o.Nodes.Create(services, parse, kube));

    public static void WriteStatus(CliServices services, RunState state, LockHolder? holder)
    {
        var o = services.Out;
        o.WriteLine($"Run:      {state.RunId} ({Kind(state)}), {state.Status.ToString().ToLowerInvariant()}");
        o.WriteLine($"Started:  {state.StartedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)} by {state.Holder}");
        o.WriteLine($"Progress: {state.CompletedSteps}/{state.TotalSteps} steps");
        o.WriteLine($"Lock:     {(holder is null ? "free" : $"held by {holder.Identity} since {holder.AcquiredAt?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}")}");
        var table = new Table().Border(TableBorder.None).AddColumns("HOP", "NODE", "ROLE", "PHASE", "STEP");
        foreach (var (hop, batch, node) in state.Plan.AllNodes())
        {
            var p = state.NodeAt(hop, node.Name);
            var step = p.CurrentStep ?? (p.CompletedSteps.Count > 0 ? p.CompletedSteps[^1] : "-");
            table.AddRow(Markup.Escape(state.Plan.Hops[hop].Version.Length == 0 ? "-" : "v" + state.Plan.Hops[hop].Version), Markup.Escape(node.Name),
                Role(node.Role), p.Phase.ToString(), Markup.Escape(step));
        }
        o.Write(table);
        if (state.Failure is { } f)
            o.WriteLine($"Stopped at {f.Step} on {f.Node}: {f.Message}" + (f.Command is null ? "" : $"\n  command: {f.Command}"));
        if (state.Status is not (RunStatus.Completed or RunStatus.Aborted) && holder is null)
            o.WriteLine("Continue with `drydock upgrade --resume`, or stop with `drydock upgrade abort`.");
    }

    public static string Role(NodeRole r) => r switch { NodeRole.FirstControlPlane => "control-plane (first)", NodeRole.ControlPlane => "control-plane", _ => "worker" };
}

/// <summary>-o json: one JSON object per step event on stdout, nothing else there.</summary>
internal sealed class JsonLinesProgress(CliServices services) : IProgress<RolloutEvent>
{
    private readonly Lock _gate = new();
    public void Report(RolloutEvent value) { lock (_gate) services.Out.Profile.Out.Writer.WriteLine(OrchestrationJson.Serialize(value)); }
}

/// <summary>Piped output: one plain line per meaningful event, with elapsed time and overall step counts.</summary>
internal sealed class PlainLinesProgress(CliServices services) : IProgress<RolloutEvent>
{
    private readonly Lock _gate = new();

    public void Report(RolloutEvent e)
    {
        var line = Format(e);
        if (line is null) return;
        lock (_gate) services.Out.Profile.Out.Writer.WriteLine(line);
    }

    public static string? Format(RolloutEvent e)
    {
        var where = e.Node is null ? "" : $"{e.Node}: ";
        var took = e.Elapsed is { } t ? $" ({t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s)" : "";
        var count = $"[{e.CompletedSteps}/{e.TotalSteps}]";
        return e.Kind switch
        {
            RolloutEventKind.StepStarted => null,
            RolloutEventKind.StepCompleted => $"{count} {where}{e.Step} done{took}",
            RolloutEventKind.StepSkipped => $"{count} {where}{e.Step} skipped: {e.Message}",
            RolloutEventKind.StepFailed => $"{count} {where}{e.Step} FAILED: {e.Message}",
            RolloutEventKind.NodeStarted => $"{count} {e.Message}",
            RolloutEventKind.NodeCompleted => $"{count} {where}done",
            _ => e.Message is null ? null : $"{count} {e.Message}",
        };
    }
}

/// <summary>On a terminal: a live table of the nodes in flight (node, role, batch, step, version, elapsed) and a progress bar with ETA.</summary>
internal static class LiveRolloutView
{
    public static async Task<RolloutResult> RunAsync(CliServices services, Func<IProgress<RolloutEvent>, Task<RolloutResult>> run)
    {
        var rows = new Dictionary<string, (RolloutEvent Last, DateTimeOffset Since)>();
        var started = services.Time.GetUtcNow();
        var gate = new Lock();
        RolloutEvent? latest = null;
        IRenderable Render()
        {
            lock (gate)
            {
                var table = new Table().AddColumns("NODE", "ROLE", "BATCH", "STEP", "VERSION", "ELAPSED");
                foreach (var (node, (e, since)) in rows.OrderBy(r => r.Key, StringComparer.Ordinal))
                    table.AddRow(Markup.Escape(node), RolloutCli.Role(e.Role ?? NodeRole.Worker), ((e.Batch ?? 0) + 1).ToString(CultureInfo.InvariantCulture),
                        Markup.Escape(e.Kind == RolloutEventKind.NodeCompleted ? "done" : e.Step ?? e.Kind.ToString()), Markup.Escape(e.Version is { Length: > 0 } v ? "v" + v : "-"),
                        (services.Time.GetUtcNow() - since).ToString(@"mm\:ss", CultureInfo.InvariantCulture));
                var done = latest?.CompletedSteps ?? 0;
                var total = Math.Max(1, latest?.TotalSteps ?? 1);
                var elapsed = services.Time.GetUtcNow() - started;
                var eta = done == 0 ? "?" : TimeSpan.FromTicks(elapsed.Ticks / done * (total - done)).ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture);
                var bar = new string('█', 30 * done / total).PadRight(30, '░');
                return new Rows(table, new Markup(Markup.Escape($"{bar} {done}/{total} steps, elapsed {elapsed:hh\\:mm\\:ss}, ETA {eta}")));
            }
        }
        RolloutResult? result = null;
        await services.Out.Live(Render()).StartAsync(async ctx =>
        {
            var progress = new Callback(e =>
            {
                lock (gate)
                {
                    latest = e;
                    if (e.Node is { } n)
                        rows[n] = (e, e.Kind == RolloutEventKind.NodeStarted || !rows.TryGetValue(n, out var r) ? e.Time : r.Since);
                    if (e.Kind == RolloutEventKind.BatchStarted) foreach (var k in rows.Where(r => r.Value.Last.Kind == RolloutEventKind.NodeCompleted).Select(r => r.Key).ToList()) rows.Remove(k);
                }
                ctx.UpdateTarget(Render());
            });
            result = await run(progress);
        });
        return result!;
    }

    private sealed class Callback(Action<RolloutEvent> a) : IProgress<RolloutEvent> { public void Report(RolloutEvent value) => a(value); }
}
