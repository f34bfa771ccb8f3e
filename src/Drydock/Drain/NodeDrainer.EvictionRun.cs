using Drydock.Common;
using Drydock.Kube;
using Drydock.Kube.Models;

namespace Drydock.Drain;

public sealed partial class NodeDrainer
{
    /// <summary>
    /// The act step for one node: every pod concurrently, evictions retried on 429 by a Polly pipeline on the
    /// injected clock (the --timeout deadline cancels the 5 s wait itself, so the drain never overshoots it), pod
    /// removal learned from one watch. Pods that are already gone or replaced under the same name are not retried.
    /// </summary>
    private sealed partial class EvictionRun(
        NodeDrainer owner, string node, DrainOptions options, DrainPlan plan, NodeDrainSnapshot snapshot, DrainBudgets budgets,
        string? resourceVersion, bool viaDelete, IProgress<DrainEvent>? progress)
    {
        private readonly IKubeClient _client = owner._client;
        private readonly TimeProvider _time = owner._time;
        private int _blockedEventPosted;

        public sealed record Outcome(List<PodOutcome> Gone, List<SkippedPod> Skipped, List<FailedPod> Failed, DrainError? Error);

        private enum Phase { Evicting, Waiting }

        private sealed record PodRun(PodRef Pod, PodOutcome? Gone = null, SkippedPod? Skipped = null, FailedPod? Failed = null,
            bool TimedOut = false, PdbDiagnosis? BlockedBy = null, bool PdbFailFast = false);

        public async Task<Outcome> ExecuteAsync(CancellationToken ct)
        {
            using var deadline = options.Timeout > TimeSpan.Zero ? new CancellationTokenSource(options.Timeout, _time) : new CancellationTokenSource();
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
            await using var tracker = new PodDeletionTracker(_client, _time, node, resourceVersion, plan.ToEvict);
            if (options.DryRun != DryRunMode.Server) tracker.Start();

            // Longest grace period first: all pods go at once, but requests leave one after another, so this order
            // finishes the node soonest (the slowest pod starts terminating first).
            var ordered = plan.ToEvict.OrderByDescending(EffectiveGrace).ToList();
            var runs = (await Task.WhenAll(ordered.Select(p => RemoveAsync(p, tracker, deadline, linked.Token, ct))))
                .OrderBy(r => r.Pod.Namespace, StringComparer.Ordinal).ThenBy(r => r.Pod.Name, StringComparer.Ordinal).ToList();
            ct.ThrowIfCancellationRequested();

            var failed = runs.Where(r => r.Failed is not null).Select(r => r.Failed!).ToList();
            DrainError? error = null;
            if (failed.Count > 0)
            {
                var parts = failed.Select(f => f.Reason).Distinct(StringComparer.Ordinal).ToList();
                var text = MessageGroup.Aggregate(parts);
                // The DELETE path fails with a plain error as kubectl's does; the eviction path aggregates per pod.
                IReadOnlyList<string> aggregate = viaDelete ? [] : parts;
                error = runs.Any(r => r.PdbFailFast)
                    ? new PdbBlocked(text, runs.Where(r => r.BlockedBy is not null).Select(r => r.BlockedBy!).DistinctBy(d => d.FullName).ToList()) { Parts = aggregate }
                    : runs.Where(r => r.Failed is not null).All(r => r.TimedOut)
                        ? new DrainTimedOut(text, options.Timeout) { Parts = aggregate }
                        : new EvictionFailed(text) { Parts = aggregate };
            }
            return new Outcome(
                runs.Where(r => r.Gone is not null).Select(r => r.Gone!).ToList(),
                runs.Where(r => r.Skipped is not null).Select(r => r.Skipped!).ToList(),
                failed, error);
        }

        private async Task<PodRun> RemoveAsync(Pod pod, PodDeletionTracker tracker, CancellationTokenSource deadline, CancellationToken token, CancellationToken userCt)
        {
            var r = PodRef.Of(pod);
            var t0 = _time.GetTimestamp();
            var phase = Phase.Evicting;
            try
            {
                var alreadyGone = viaDelete ? await DeleteAsync(r, token) : await EvictAsync(pod, r, tracker, token);
                if (options.DryRun == DryRunMode.Server) return new PodRun(r);
                if (!alreadyGone)
                {
                    progress?.Report(new PodTerminating(node, _time.GetUtcNow(), r));
                    phase = Phase.Waiting;
                    if (!await WaitGoneAsync(r, tracker, token))
                        return new PodRun(r, Skipped: new SkippedPod(r, "skipWaitForDeleteTimeout",
                            $"pod \"{r.Name}\" has DeletionTimestamp older than {options.SkipWaitForDeleteTimeoutSeconds} seconds, skipping"));
                }
                var took = _time.GetElapsedTime(t0);
                progress?.Report(new PodGone(node, _time.GetUtcNow(), r, viaDelete, took));
                return new PodRun(r, Gone: new PodOutcome(r, took));
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !userCt.IsCancellationRequested)
            {
                var reason = phase == Phase.Evicting && !viaDelete
                    ? $"error when evicting pods/\"{r.Name}\" -n \"{r.Namespace}\": global timeout reached: {GoDuration.Format(options.Timeout)}"
                    : viaDelete ? "context deadline exceeded"
                    : $"error when waiting for pod \"{r.Name}\" in namespace \"{r.Namespace}\" to terminate: context deadline exceeded";
                progress?.Report(new PodFailed(node, _time.GetUtcNow(), r, reason));
                return new PodRun(r, Failed: new FailedPod(r, reason), TimedOut: true);
            }
            catch (KubeApiException e) when (!userCt.IsCancellationRequested)
            {
                var pdbFailFast = e.IsTooManyRequests && options.FailFastOnPdb; // any other 429 is retried
                var diagnosis = pdbFailFast ? await DiagnoseAsync(pod, e.Status, tracker, token) : null;
                var reason = viaDelete ? e.Message : $"error when evicting pods/\"{r.Name}\" -n \"{r.Namespace}\": {e.Message}";
                if (diagnosis is not null) reason += $" (PodDisruptionBudget {diagnosis.FullName}: {diagnosis.Numbers}; {diagnosis.Explanation})";
                progress?.Report(new PodFailed(node, _time.GetUtcNow(), r, reason));
                return new PodRun(r, Failed: new FailedPod(r, reason), BlockedBy: diagnosis, PdbFailFast: pdbFailFast);
            }
        }

        private long EffectiveGrace(Pod pod) =>
            options.GracePeriodSeconds >= 0 ? options.GracePeriodSeconds : pod.Spec?.TerminationGracePeriodSeconds ?? 30;

        private DeleteOptions? BuildDeleteOptions(PodRef r) => new()
        {
            GracePeriodSeconds = options.GracePeriodSeconds >= 0 ? options.GracePeriodSeconds : null,
            // Better than kubectl: never remove a same-named replacement by accident.
            Preconditions = r.Uid is null ? null : new Preconditions { Uid = r.Uid },
        };

        private DryRun ApiDryRun => options.DryRun == DryRunMode.Server ? DryRun.Server : DryRun.None;

        /// <summary>DELETE path; returns true when the pod was already gone (404).</summary>
        private async Task<bool> DeleteAsync(PodRef r, CancellationToken token)
        {
            progress?.Report(new PodEvicting(node, _time.GetUtcNow(), r, true, options.DryRun));
            try
            {
                await _client.DeleteAsync(ResourceKind.Pods, r.Namespace, r.Name, BuildDeleteOptions(r), ApiDryRun, token);
                return false;
            }
            catch (KubeApiException e) when (e.IsNotFound || e.IsConflict)
            {
                return true; // gone, or replaced by a pod with another UID
            }
        }
    }
}
