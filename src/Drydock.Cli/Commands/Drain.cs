using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Drydock.Cli.Infrastructure;
using Drydock.Common;
using Drydock.Drain;
using Spectre.Console;

namespace Drydock.Cli.Commands;

/// <summary>
/// `drydock drain NODE... | -l SEL` — kubectl drain's flags, lines and exit codes; the library does the work
/// (<see cref="NodeDrainer"/>), this file only parses flags and renders progress: kubectl's plain lines when piped,
/// a live table on a terminal, one JSON result per node with -o json.
/// </summary>
[CliCommand(32)]
internal static class DrainCommand
{
    public static Command Create(CliServices services)
    {
        var nodes = new Argument<string[]>("NODE") { Arity = ArgumentArity.ZeroOrMore, Description = "Node names (or node/NAME)" };
        var selector = DrainCliOptions.Selector();
        var dryRun = DrainCliOptions.DryRun();
        var force = new Option<bool>("--force") { Description = "Continue even if there are pods that do not declare a controller (or whose DaemonSet is gone)" };
        var ignoreDs = new Option<bool>("--ignore-daemonsets") { Description = "Ignore DaemonSet-managed pods" };
        var emptyDir = new Option<bool>("--delete-emptydir-data") { Description = "Continue even if there are pods using emptyDir (local data that will be deleted when the node is drained)" };
        var localData = new Option<bool>("--delete-local-data") { Description = "Deprecated: use --delete-emptydir-data", Hidden = true };
        var disableEviction = new Option<bool>("--disable-eviction") { Description = "Delete pods instead of evicting them, bypassing PodDisruptionBudgets" };
        var grace = new Option<int>("--grace-period") { Description = "Seconds given to each pod to terminate gracefully; negative = the pod's own value", DefaultValueFactory = _ => DrainConstants.PodOwnGracePeriod };
        var timeout = new Option<string>("--timeout") { Description = "How long to wait before giving up on a node, e.g. 90s or 5m; zero means forever", DefaultValueFactory = _ => "0s" };
        var skipWait = new Option<int>("--skip-wait-for-delete-timeout") { Description = "Skip pods whose DeletionTimestamp is older than N seconds" };
        var podSelector = new Option<string?>("--pod-selector") { Description = "Label selector to filter pods on the node" };
        var chunk = new Option<int>("--chunk-size") { Description = "Return large lists in chunks (0 disables)", DefaultValueFactory = _ => DrainConstants.DefaultChunkSize };
        var failFast = new Option<bool>("--fail-fast-on-pdb") { Description = "Fail the node at the first PodDisruptionBudget refusal instead of retrying every 5s" };
        var command = new Command("drain", "Drain nodes in preparation for maintenance: cordon, then evict their pods respecting PodDisruptionBudgets")
        {
            nodes, selector, dryRun, force, ignoreDs, emptyDir, localData, disableEviction, grace, timeout, skipWait, podSelector, chunk, failFast,
        };

        command.SetHandler(services, async (parse, ct) =>
        {
            var mode = DrainCliOptions.ParseDryRun(parse, dryRun);
            var timeoutText = parse.GetValue(timeout) ?? "0s";
            if (!GoDuration.TryParse(timeoutText, out var timeoutValue, out var durationError))
                throw new DrydockException(new UsageError($"invalid argument \"{timeoutText}\" for \"--timeout\" flag: {durationError}"));
            if (!LabelSelectorSyntax.IsValid(parse.GetValue(podSelector)))
                throw new DrydockException(new UsageError($"--pod-selector={parse.GetValue(podSelector)} must be a valid label selector"));
            if (parse.GetValue(chunk) < 0) throw new DrydockException(new UsageError("--chunk-size must be 0 or greater"));
            if (parse.GetValue(localData))
                services.Err.WriteLine("Flag --delete-local-data has been deprecated, This option is deprecated and will be deleted. Use --delete-emptydir-data.");
            var options = new DrainOptions
            {
                Force = parse.GetValue(force),
                IgnoreDaemonSets = parse.GetValue(ignoreDs),
                DeleteEmptyDirData = parse.GetValue(emptyDir) || parse.GetValue(localData),
                DisableEviction = parse.GetValue(disableEviction),
                GracePeriodSeconds = parse.GetValue(grace),
                Timeout = timeoutValue < TimeSpan.Zero ? TimeSpan.Zero : timeoutValue,
                SkipWaitForDeleteTimeoutSeconds = parse.GetValue(skipWait),
                PodSelector = parse.GetValue(podSelector),
                ChunkSize = parse.GetValue(chunk),
                DryRun = mode,
                FailFastOnPdb = parse.GetValue(failFast),
                Cordon = false, // every node is cordoned first, as kubectl does
            };
            var names = NodeResolver.ParseNames(parse.GetValue(nodes) ?? [], parse.GetValue(selector), "drain");
            var client = await services.KubeClientFactory(parse, ct);
            var resolved = await NodeResolver.ResolveAsync(client, names, parse.GetValue(selector), options.ChunkSize, ct);
            var format = parse.Output();
            var live = format is not OutputFormat.Json and not OutputFormat.Yaml && services.StdoutIsTty;
            var flow = new DrainFlow(services, new NodeDrainer(client, services.Time), options, format, parse.Verbose());
            var nodeNames = resolved.Select(n => n.Metadata.Name!).ToList();
            return live ? await DrainLiveView.RunAsync(services, flow, nodeNames, ct) : await flow.RunAsync(nodeNames, flow.Lines, ct);
        });
        return command;
    }
}

/// <summary>The flags cordon, uncordon and drain share, with kubectl's validation.</summary>
internal static class DrainCliOptions
{
    public static Option<string?> Selector() => new("--selector", "-l") { Description = "Selector (label query) to filter nodes on" };

    public static Option<string?> DryRun() => new("--dry-run")
    {
        Description = "none, client (print what would happen) or server (submit with dryRun=All); bare --dry-run = client",
        Arity = ArgumentArity.ZeroOrOne,
    };

    public static DryRunMode ParseDryRun(ParseResult parse, Option<string?> option)
    {
        var result = parse.GetResult(option);
        if (result is null || result.Implicit) return DryRunMode.None;
        var value = result.Tokens.Count == 0 ? null : result.Tokens[0].Value;
        return DryRunModes.TryParse(value, out var mode) ? mode : throw new DrydockException(new UsageError(DryRunModes.InvalidMessage(value ?? "")));
    }
}

/// <summary>Cordon every node, then drain them one after another; kubectl's failure lines and final block.</summary>
internal sealed class DrainFlow(CliServices services, NodeDrainer drainer, DrainOptions options, OutputFormat format, bool verbose)
{
    public DrainLineRenderer Lines { get; } = new(services, format, verbose);
    public NodeDrainer Drainer => drainer;
    public DrainOptions Options => options;

    public async Task<int> RunAsync(IReadOnlyList<string> nodes, IProgress<DrainEvent> progress, CancellationToken ct)
    {
        var results = new List<NodeDrainResult>();
        var cordoned = new List<string>();
        foreach (var node in nodes)
        {
            try
            {
                await drainer.CordonAsync(node, options.DryRun, progress, options.RecordEvents, ct);
                cordoned.Add(node);
            }
            catch (DrydockException e) when (e.Error is CordonFailed cf)
            {
                // kubectl prints this and carries on as if it had worked (kubernetes#89008); here the node fails.
                services.Err.WriteLine($"error: {cf.Message}");
                results.Add(new NodeDrainResult { Node = node, Error = cf, DryRun = options.DryRun });
            }
        }
        foreach (var node in cordoned)
            results.Add(await drainer.DrainAsync(node, options, progress, ct));

        results = nodes.Select(n => results.First(r => r.Node == n)).ToList();
        if (format == OutputFormat.Json) DrainJson.Write(services, results);
        var failed = results.Where(r => !r.Succeeded).ToList();
        if (failed.Count == 0) return ErrorPresenter.Ok;
        services.Err.WriteLine("There are pending nodes to be drained:");
        foreach (var f in failed) services.Err.WriteLine($" {f.Node}");
        if (failed.Count == 1 && failed[0].Error!.Parts.Count == 0)
            services.Err.WriteLine(failed[0].Error!.Message.StartsWith("error: ", StringComparison.Ordinal) ? failed[0].Error!.Message : $"error: {failed[0].Error!.Message}");
        else if (failed.Count == 1)
            foreach (var part in failed[0].Error!.Parts) services.Err.WriteLine(part);
        else
            foreach (var f in failed) services.Err.WriteLine(f.Error!.Message);
        return ErrorPresenter.Failed;
    }
}

/// <summary>kubectl's lines: progress on stdout, warnings, retries and errors on stderr. Thread-safe (pods report concurrently).</summary>
internal sealed class DrainLineRenderer(CliServices services, OutputFormat format, bool verbose = false) : IProgress<DrainEvent>
{
    private readonly object _gate = new();
    private readonly Dictionary<string, string> _lastPdbLine = new(StringComparer.Ordinal);

    private void Out(string line)
    {
        if (format == OutputFormat.Json) return; // stdout carries only the JSON document
        services.Out.Profile.Out.Writer.WriteLine(line);
    }

    private void Err(string line) => services.Err.WriteLine(line);

    public void Report(DrainEvent value)
    {
        lock (_gate) Render(value);
    }

    private void Render(DrainEvent e)
    {
        switch (e)
        {
            case NodeScheduling s:
                Out($"node/{s.Node} {(s.Changed ? "" : "already ")}{(s.Unschedulable ? "cordoned" : "uncordoned")}{s.DryRun.Suffix()}");
                break;
            case DrainPlanned p:
                foreach (var pdb in p.Plan.Pdbs.Where(d => verbose || d.Outlook == PdbOutlook.CannotFinish))
                    Err($"{(pdb.Outlook == PdbOutlook.CannotFinish ? "Warning: " : "")}PodDisruptionBudget {pdb.FullName} ({pdb.Numbers}): {pdb.Explanation}");
                break;
            case DrainWarning w:
                Err($"Warning: {w.Message}");
                break;
            case PodEvicting ev when !ev.ViaDelete:
                Out($"evicting pod {ev.Pod}{ev.DryRun.Suffix()}");
                break;
            case PodEvicting ev when ev.DryRun == DryRunMode.Client:
                Out($"evicting pod {ev.Pod}{ev.DryRun.Suffix()}");
                break;
            case PodEvictionRetry r:
                Err(r.Message);
                if (r.Pdb is { } blocking)
                {
                    var line = $"  PodDisruptionBudget {blocking.FullName} ({blocking.Numbers}): {blocking.Explanation}";
                    if (!_lastPdbLine.TryGetValue(r.Pod.ToString(), out var last) || last != line) Err(line);
                    _lastPdbLine[r.Pod.ToString()] = line;
                }
                break;
            case PodGone g:
                Out($"pod/{g.Pod.Name} {(g.ViaDelete ? "deleted" : "evicted")}");
                break;
            case PodWaitSkipped s:
                Out($"pod \"{s.Pod.Name}\" has DeletionTimestamp older than {s.Seconds} seconds, skipping");
                break;
            case DrainFinished { Result: var result }:
                RenderFinished(result);
                break;
        }
    }

    private void RenderFinished(NodeDrainResult result)
    {
        if (result.Succeeded)
        {
            Out($"node/{result.Node} drained{result.DryRun.Suffix()}");
            return;
        }
        var error = result.Error!;
        if (error is CordonFailed) return; // already printed by the flow
        if (error is not DrainRefused && result.PendingPods.Count > 0)
        {
            Err($"There are pending pods in node \"{result.Node}\" when an error occurred: {error.Message}");
            foreach (var pod in result.PendingPods) Err($"pod/{pod[(pod.IndexOf('/') + 1)..]}");
        }
        Err($"error: unable to drain node \"{result.Node}\" due to error: {error.Message}, continuing command...");
    }
}

/// <summary>-o json: one result object per node (evicted, deleted, skipped and failed pods with reasons and durations).</summary>
internal static class DrainJson
{
    public static void Write(CliServices services, IReadOnlyList<NodeDrainResult> results)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartArray();
            foreach (var r in results) WriteResult(w, r);
            w.WriteEndArray();
        }
        services.Out.Profile.Out.Writer.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static void WriteResult(Utf8JsonWriter w, NodeDrainResult r)
    {
        w.WriteStartObject();
        w.WriteString("node", r.Node);
        w.WriteBoolean("succeeded", r.Succeeded);
        w.WriteString("dryRun", r.DryRun.ToString().ToLowerInvariant());
        w.WriteNumber("durationSeconds", Math.Round(r.Duration.TotalSeconds, 3));
        WritePods(w, "evicted", r.Evicted);
        WritePods(w, "deleted", r.Deleted);
        w.WriteStartArray("skipped");
        foreach (var s in r.Skipped)
        {
            w.WriteStartObject();
            w.WriteString("pod", s.Pod.ToString());
            w.WriteString("filter", s.Filter);
            w.WriteString("reason", s.Reason ?? SilentReason(s.Filter));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("failed");
        foreach (var f in r.Failed)
        {
            w.WriteStartObject();
            w.WriteString("pod", f.Pod.ToString());
            w.WriteString("reason", f.Reason);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("pdbs");
        foreach (var p in r.Plan?.Pdbs ?? [])
        {
            w.WriteStartObject();
            w.WriteString("name", p.FullName);
            if (p.MinAvailable is not null) w.WriteString("minAvailable", p.MinAvailable);
            if (p.MaxUnavailable is not null) w.WriteString("maxUnavailable", p.MaxUnavailable);
            w.WriteNumber("currentHealthy", p.CurrentHealthy);
            w.WriteNumber("desiredHealthy", p.DesiredHealthy);
            w.WriteNumber("expectedPods", p.ExpectedPods);
            w.WriteNumber("disruptionsAllowed", p.DisruptionsAllowed);
            w.WriteString("outlook", p.Outlook.ToString());
            w.WriteString("explanation", p.Explanation);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("warnings");
        foreach (var g in r.Plan?.Warnings ?? []) w.WriteStringValue(g.Text);
        w.WriteEndArray();
        if (r.Error is { } e)
        {
            w.WriteString("error", e.Message);
            w.WriteString("errorType", e.GetType().Name);
            w.WriteStartArray("pendingPods");
            foreach (var p in r.PendingPods) w.WriteStringValue(p);
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    private static string SilentReason(string filter) => filter switch
    {
        "mirror" => "mirror (static) pod",
        "skipDeleted" => "DeletionTimestamp older than --skip-wait-for-delete-timeout",
        _ => filter,
    };

    private static void WritePods(Utf8JsonWriter w, string name, IReadOnlyList<PodOutcome> pods)
    {
        w.WriteStartArray(name);
        foreach (var p in pods)
        {
            w.WriteStartObject();
            w.WriteString("pod", p.Pod.ToString());
            w.WriteNumber("seconds", Math.Round(p.Took.TotalSeconds, 3));
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}

/// <summary>On a terminal: a live table per node (pods total / evicting / blocked by PDB / terminating / gone, elapsed).</summary>
internal sealed class DrainLiveView : IProgress<DrainEvent>
{
    private readonly object _gate = new();
    private readonly Dictionary<string, NodeRow> _rows = new(StringComparer.Ordinal);
    private readonly List<string> _log = [];
    private readonly TimeProvider _time;

    private DrainLiveView(TimeProvider time) => _time = time;

    private sealed class NodeRow
    {
        public long Started;
        public int Total;
        public readonly HashSet<string> Evicting = [], Blocked = [], Terminating = [], Gone = [], Failed = [];
        public string State = "cordoning";
        public string? Pdb;
    }

    public static async Task<int> RunAsync(CliServices services, DrainFlow flow, IReadOnlyList<string> nodes, CancellationToken ct)
    {
        var view = new DrainLiveView(services.Time);
        foreach (var n in nodes) view._rows[n] = new NodeRow { Started = services.Time.GetTimestamp() };
        // Lines go to the log panel below the table; warnings and errors still reach stderr afterwards.
        var errors = new StringWriter();
        // The plain renderer still runs (for its stderr lines) but its stdout lines would tear the live table.
        var silent = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null), Ansi = AnsiSupport.No, Interactive = InteractionSupport.No });
        var quiet = new CliServices
        {
            Out = silent, Err = errors, Time = services.Time, GetEnv = services.GetEnv,
            KubeClientFactory = services.KubeClientFactory, StdinIsTty = services.StdinIsTty, StdoutIsTty = services.StdoutIsTty,
        };
        var inner = new DrainFlow(quiet, flow.Drainer, flow.Options, OutputFormat.Table, false);
        var code = 0;
        await services.Out.Live(view.Render()).AutoClear(false).StartAsync(async ctx =>
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var ticker = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    try { await Task.Delay(TimeSpan.FromMilliseconds(500), services.Time, stop.Token); }
                    catch (OperationCanceledException) { return; }
                    lock (view._gate) ctx.UpdateTarget(view.Render());
                }
            }, CancellationToken.None);
            var progress = new CompositeProgress(view, inner.Lines, () => { lock (view._gate) ctx.UpdateTarget(view.Render()); });
            code = await inner.RunAsync(nodes, progress, ct);
            await stop.CancelAsync();
            await ticker;
            lock (view._gate) ctx.UpdateTarget(view.Render());
        });
        services.Err.Write(errors.ToString());
        return code;
    }

    private sealed class CompositeProgress(IProgress<DrainEvent> a, IProgress<DrainEvent> b, Action refresh) : IProgress<DrainEvent>
    {
        public void Report(DrainEvent value) { a.Report(value); b.Report(value); refresh(); }
    }

    public void Report(DrainEvent value)
    {
        lock (_gate)
        {
            if (!_rows.TryGetValue(value.Node, out var row)) return;
            var key = value switch { PodEvicting p => p.Pod.ToString(), PodEvictionRetry p => p.Pod.ToString(), PodTerminating p => p.Pod.ToString(), PodGone p => p.Pod.ToString(), PodFailed p => p.Pod.ToString(), _ => "" };
            switch (value)
            {
                case NodeScheduling: row.State = "cordoned"; break;
                case DrainPlanned p: row.Total = p.Plan.ToEvict.Count; row.State = "draining"; row.Started = _time.GetTimestamp(); break;
                case PodEvicting: row.Evicting.Add(key); break;
                case PodEvictionRetry r: row.Blocked.Add(key); row.Pdb = r.Pdb is { } d ? $"{d.FullName}: {d.Numbers}" : row.Pdb; break;
                case PodTerminating: row.Evicting.Remove(key); row.Blocked.Remove(key); row.Terminating.Add(key); break;
                case PodGone: row.Evicting.Remove(key); row.Blocked.Remove(key); row.Terminating.Remove(key); row.Gone.Add(key); break;
                case PodFailed: row.Evicting.Remove(key); row.Blocked.Remove(key); row.Terminating.Remove(key); row.Failed.Add(key); break;
                case DrainFinished f: row.State = f.Result.Succeeded ? "drained" : "failed"; _log.Add(f.Result.Succeeded ? $"node/{f.Node} drained" : $"node/{f.Node}: {f.Result.Error!.Message}"); break;
            }
        }
    }

    private Table Render()
    {
        var table = new Table().AddColumns("NODE", "STATE", "PODS", "EVICTING", "BLOCKED BY PDB", "TERMINATING", "GONE", "FAILED", "ELAPSED");
        foreach (var (name, r) in _rows)
            table.AddRow(Markup.Escape(name), r.State, N(r.Total), N(r.Evicting.Count), N(r.Blocked.Count), N(r.Terminating.Count), N(r.Gone.Count), N(r.Failed.Count),
                $"{_time.GetElapsedTime(r.Started).TotalSeconds:0.0}s");
        var blockers = _rows.Values.Where(r => r.Pdb is not null && r.Blocked.Count > 0).Select(r => r.Pdb!).Distinct().ToList();
        if (blockers.Count > 0) table.Caption(Markup.Escape("blocked by PodDisruptionBudget " + string.Join("; ", blockers)));
        return table;
    }

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);
}
