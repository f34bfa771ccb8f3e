using Drydock.Common;
using Drydock.Kube;

namespace Drydock.Drain;

public sealed partial class NodeDrainer
{
    /// <summary>
    /// Drains one node: cordon (unless <see cref="DrainOptions.Cordon"/> is off), list and classify its pods, then
    /// evict (or delete) every removable pod concurrently and wait until all are gone. Expected failures come back
    /// as <see cref="NodeDrainResult.Error"/>; the node stays cordoned in every case.
    /// </summary>
    public async Task<NodeDrainResult> DrainAsync(string node, DrainOptions options, IProgress<DrainEvent>? progress = null, CancellationToken ct = default)
    {
        var started = _time.GetTimestamp();
        NodeDrainResult Finish(NodeDrainResult r)
        {
            var done = r with { Node = node, DryRun = options.DryRun, Duration = _time.GetElapsedTime(started) };
            progress?.Report(new DrainFinished(node, _time.GetUtcNow(), done));
            return done;
        }

        try
        {
            if (options.Cordon)
            {
                try { await CordonAsync(node, options.DryRun, progress, options.RecordEvents, ct); }
                catch (DrydockException e) when (e.Error is CordonFailed cf) { return Finish(new NodeDrainResult { Node = node, Error = cf }); }
            }

            // Discovery runs alongside the reads: one round trip fewer before the first eviction.
            var evictionSupport = options.DisableEviction || options.DryRun == DryRunMode.Client ? Task.FromResult(false) : SupportsEvictionAsync(ct);
            var (snapshot, rv) = await ReadSnapshotAsync(node, options, ct);
            var plan = DrainPlanner.Plan(snapshot, options);
            var budgets = NewBudgets(options);
            if (DiagnosesBeforeEvicting(options, progress))
                (plan, snapshot) = await DiagnoseBudgetsAsync(plan, snapshot, options, budgets, ct);
            progress?.Report(new DrainPlanned(node, _time.GetUtcNow(), plan));
            if (plan.WarningText is { } warning) progress?.Report(new DrainWarning(node, _time.GetUtcNow(), warning));
            var baseResult = new NodeDrainResult { Node = node, Plan = plan, Skipped = plan.Skipped };

            if (!plan.CanProceed)
                return Finish(baseResult with { Error = new DrainRefused(plan.Errors) });

            if (options.FailFastOnPdb && !options.DisableEviction && plan.BlockingPdbs is { Count: > 0 } blocking)
            {
                var message = string.Join("; ", blocking.Select(p => $"PodDisruptionBudget {p.FullName} ({p.Numbers}): {p.Explanation}"));
                await RecordAsync(options, node, DrainConstants.EventReasonDrainBlocked, message, warning: true, ct);
                return Finish(baseResult with { Error = new PdbBlocked(message, blocking), PendingPods = Names(plan) });
            }

            if (options.DryRun == DryRunMode.Client)
            {
                foreach (var pod in plan.ToEvict)
                    progress?.Report(new PodEvicting(node, _time.GetUtcNow(), PodRef.Of(pod), options.DisableEviction, DryRunMode.Client));
                return Finish(baseResult with { Evicted = plan.ToEvict.Select(p => new PodOutcome(PodRef.Of(p), TimeSpan.Zero)).ToList() });
            }

            var viaDelete = options.DisableEviction || !await evictionSupport;
            // Posted while the evictions start, not before them (an event is best effort and never fails the drain).
            var startedEvent = RecordAsync(options, node, DrainConstants.EventReasonDrainStarted,
                $"Draining node: {plan.ToEvict.Count} pod(s) to {(viaDelete ? "delete" : "evict")}, {plan.Skipped.Count} left in place", warning: false, ct);

            var run = new EvictionRun(this, node, options, plan, snapshot, budgets, rv, viaDelete, progress);
            var outcome = await run.ExecuteAsync(ct);
            await startedEvent;
            var result = baseResult with
            {
                Evicted = viaDelete ? [] : outcome.Gone,
                Deleted = viaDelete ? outcome.Gone : [],
                Skipped = [.. plan.Skipped, .. outcome.Skipped],
                Failed = outcome.Failed,
                Error = outcome.Error,
            };
            if (result.Error is not null)
            {
                result = result with { PendingPods = await PendingPodsAsync(node, options, ct) };
                await RecordAsync(options, node, DrainConstants.EventReasonDrainFailed, $"Drain failed: {result.Error.Message}", warning: true, ct);
            }
            else
            {
                await RecordAsync(options, node, DrainConstants.EventReasonDrained,
                    $"Node drained: {outcome.Gone.Count} pod(s) {(viaDelete ? "deleted" : "evicted")} in {GoDuration.Format(TimeSpan.FromSeconds(Math.Round(_time.GetElapsedTime(started).TotalSeconds, 1)))}",
                    warning: false, ct);
            }
            return Finish(result);
        }
        catch (KubeApiException e) when (!ct.IsCancellationRequested)
        {
            return Finish(new NodeDrainResult { Node = node, Error = new DrainApiFailed(e.Message) });
        }
    }

    /// <summary>Whether the plan carries the PDB diagnosis (see <see cref="PdbDiagnosisTiming"/>): someone watching
    /// sees it, and --fail-fast-on-pdb needs it to refuse a hopeless budget before evicting anything.</summary>
    private static bool DiagnosesBeforeEvicting(DrainOptions options, IProgress<DrainEvent>? progress) => options.DiagnosePdbs switch
    {
        PdbDiagnosisTiming.BeforeEvicting => true,
        PdbDiagnosisTiming.OnRefusal => false,
        _ => progress is not null || options.FailFastOnPdb,
    };

    private static List<string> Names(DrainPlan plan) => plan.ToEvict.Select(p => PodRef.Of(p).ToString()).ToList();

    /// <summary>kubectl re-lists and re-filters the node to say which pods are still pending after a failure.</summary>
    private async Task<IReadOnlyList<string>> PendingPodsAsync(string node, DrainOptions options, CancellationToken ct)
    {
        try
        {
            var (snapshot, _) = await ReadSnapshotAsync(node, options, ct);
            return Names(DrainPlanner.Plan(snapshot, options));
        }
        catch (KubeApiException)
        {
            return [];
        }
    }

    /// <summary>Discovery GET /api/v1: is the pods/eviction subresource offered? (kubectl's CheckEvictionSupport.)
    /// Asked once per drainer, as kubectl asks once per `kubectl drain` however many nodes it names: an upgrade drains
    /// every worker with one drainer, and a 5,000-node run sent 5,000 identical discovery requests. Only a yes is
    /// remembered — an upgrade does not withdraw the eviction subresource — so a server that answered no (or failed)
    /// is asked again at the next drain.</summary>
    private async Task<bool> SupportsEvictionAsync(CancellationToken ct)
    {
        if (_evictionSupported) return true;
        var resources = await _client.GetApiResourcesAsync("v1", ct);
        return _evictionSupported = resources.Resources.Any(r => r.Name == "pods/eviction" && r.Kind == "Eviction");
    }

    private volatile bool _evictionSupported;

    private Task RecordAsync(DrainOptions options, string node, string reason, string message, bool warning, CancellationToken ct) =>
        options.RecordEvents && options.DryRun == DryRunMode.None
            ? _events.RecordAsync(node, reason, message, warning, ct)
            : Task.CompletedTask;
}
