using Drydock.Common;
using Drydock.Kube;
using Drydock.Kube.Models;
using Polly;

namespace Drydock.Drain;

public sealed partial class NodeDrainer
{
    private sealed partial class EvictionRun
    {
        /// <summary>POST the eviction until accepted; 429 (PDB) and 403 NamespaceTerminating are retried every
        /// <see cref="DrainOptions.EvictionRetryDelay"/>. Returns true when the pod turned out to be gone already.</summary>
        private async Task<bool> EvictAsync(Pod pod, PodRef r, PodDeletionTracker tracker, CancellationToken token)
        {
            // Polly continues on the caller's context (its default is ConfigureAwait(false)): under a rehearsal's driver
            // every retry stays on the driver's thread, in order.
            var context = ResilienceContextPool.Shared.Get(continueOnCapturedContext: true, token);
            try
            {
                var eviction = new PodEviction(this, pod, r, tracker, BuildDeleteOptions(r));
                context.Properties.Set(PodEvictionKey, eviction);
                var outcome = await owner._evictionRetry.ExecuteOutcomeAsync(static (ctx, e) => e.AttemptAsync(ctx.CancellationToken), context, eviction);
                outcome.ThrowIfException();
                return outcome.Result;
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }
        }

        /// <summary>One pod's eviction within a run: what the shared retry pipeline's callbacks ask about.</summary>
        /// <remarks><paramref name="Options"/> is the same for every attempt, so it is built once per pod.</remarks>
        internal sealed record PodEviction(EvictionRun Run, Pod Pod, PodRef Ref, PodDeletionTracker Tracker, DeleteOptions? Options)
        {
            public ValueTask<Polly.Outcome<bool>> AttemptAsync(CancellationToken t) => Run.AttemptAsync(this, t);
            public bool IsRetriable(KubeApiException e) => Run.IsRetriable(this, e);
            public TimeSpan RetryDelay(Exception? failure) => Run.RetryDelay(failure);
            public ValueTask OnRetryAsync(Exception failure, TimeSpan delay, CancellationToken t) => Run.OnRetryAsync(this, failure, delay, t);
        }

        /// <summary>
        /// One eviction attempt as the pipeline's outcome: true when the pod turned out to be gone already. A refusal is
        /// handed over as an outcome, read off the client's task, and never thrown: an unattended drain retries tens of
        /// thousands of them, and every rethrow captures a stack trace. Throws nothing, as the pipeline requires.
        /// </summary>
        private async ValueTask<Polly.Outcome<bool>> AttemptAsync(PodEviction e, CancellationToken t)
        {
            var r = e.Ref;
            Exception? failure = null;
            try
            {
                // Before every attempt: a pod deleted meanwhile, or replaced by a new pod of the same name, is done
                // (kubectl keeps evicting the replacement, kubernetes#91141).
                if (e.Tracker.IsGone(r)) return Polly.Outcome.FromResult(true);
                progress?.Report(new PodEvicting(node, _time.GetUtcNow(), r, false, options.DryRun));
                var eviction = _client.EvictAsync(r.Namespace, r.Name, e.Options, ApiDryRun, t);
                if (eviction.IsFaulted) failure = eviction.Exception!.InnerExceptions[0]; // what awaiting it would throw
                else await eviction;
            }
            catch (Exception thrown)
            {
                failure = thrown;
            }
            return failure switch
            {
                null => Polly.Outcome.FromResult(false),
                // 404: gone; 409: the UID precondition failed, a replacement carries the name now
                KubeApiException k when k.IsNotFound || k.IsConflict => Polly.Outcome.FromResult(true),
                // already terminating: go and wait for it
                KubeApiException k when IsNamespaceTerminating(k) && e.Tracker.DeletionTimestamp(r) is not null => Polly.Outcome.FromResult(false),
                _ => Polly.Outcome.FromException<bool>(failure),
            };
        }

        /// <summary>429 (PDB or throttling), a terminating namespace, and server errors other than the multiple-PDB
        /// refusal — an eviction is safe to repeat (404 or an already terminating pod end it).</summary>
        private bool IsRetriable(PodEviction e, KubeApiException k) =>
            (k.IsTooManyRequests && !(options.FailFastOnPdb && IsPdbRefusal(k))) ||
            (IsNamespaceTerminating(k) && e.Tracker.DeletionTimestamp(e.Ref) is null) ||
            (k.Code >= 500 && !k.Message.Contains("more than one PodDisruptionBudget", StringComparison.Ordinal)) ||
            k.Code == 0;

        /// <summary>429 and a terminating namespace: kubectl's fixed 5 s. A transport failure or a 5xx: sooner.</summary>
        private TimeSpan RetryDelay(Exception? failure) =>
            failure is KubeApiException { IsTooManyRequests: true } or KubeApiException { IsForbidden: true }
                ? options.EvictionRetryDelay
                : TransientRetryDelay;

        private async ValueTask OnRetryAsync(PodEviction e, Exception failure, TimeSpan delay, CancellationToken token)
        {
            var r = e.Ref;
            var diagnosis = failure is KubeApiException { IsTooManyRequests: true } refusal && IsPdbRefusal(refusal) && RefusalIsReported
                ? await DiagnoseAsync(e.Pod, refusal.Status, e.Tracker, token) : null;
            // An unattended drain (a rollout: no observer) retries thousands of refusals that nobody reads about.
            if (progress is null && diagnosis is null) return;
            var after = GoDuration.Format(delay);
            if (progress is not null)
            {
                var line = failure is KubeApiException k && IsNamespaceTerminating(k)
                    ? $"error when evicting pod \"{r.Name}\" from terminating namespace \"{r.Namespace}\" (will retry after {after}): {failure.Message}"
                    : $"error when evicting pods/\"{r.Name}\" -n \"{r.Namespace}\" (will retry after {after}): {failure.Message}";
                progress.Report(new PodEvictionRetry(node, _time.GetUtcNow(), r, line, delay, diagnosis));
            }
            if (diagnosis is not null && Interlocked.Exchange(ref _blockedEventPosted, 1) == 0)
                await owner.RecordAsync(options, node, DrainConstants.EventReasonDrainBlocked,
                    $"Eviction of {r} refused by PodDisruptionBudget {diagnosis.FullName} ({diagnosis.Numbers}); retrying every {after}",
                    warning: true, token);
        }

        /// <summary>Whether a diagnosis of a refusal reaches anyone: the progress observer, or the node's one
        /// DrainBlocked event while it is not posted yet. Otherwise the GET of the budget is skipped — an unattended
        /// drain (a rollout) sees thousands of refusals.</summary>
        private bool RefusalIsReported =>
            progress is not null ||
            (options.RecordEvents && options.DryRun == DryRunMode.None && Volatile.Read(ref _blockedEventPosted) == 0);

        /// <summary>Pause after a transport failure or a server error (not a refusal) before trying again.</summary>
        private static readonly TimeSpan TransientRetryDelay = TimeSpan.FromSeconds(1);

        /// <summary>A 429 from the disruption budget check, as opposed to API throttling.</summary>
        private static bool IsPdbRefusal(KubeApiException e) =>
            e.Message.Contains("disruption budget", StringComparison.OrdinalIgnoreCase);

        private static bool IsNamespaceTerminating(KubeApiException e) =>
            e.IsForbidden && e.Status.Details?.Causes?.Any(c => c.Reason == "NamespaceTerminating") == true;

        /// <summary>The budget that refused the eviction, with fresh numbers (see <see cref="DrainBudgets.RefusingAsync"/>).</summary>
        private async Task<PdbDiagnosis?> DiagnoseAsync(Pod pod, Status refusal, PodDeletionTracker tracker, CancellationToken token)
        {
            var pdb = await budgets.RefusingAsync(pod, refusal, token);
            if (pdb is null) return null;
            // Pods of this budget on the node that are still there and not terminating (the plan's copies are stale).
            var onNode = plan.ToEvict.Where(p => PdbDiagnostics.Covers(pdb, p))
                .Where(p => !tracker.IsGone(PodRef.Of(p)) && tracker.DeletionTimestamp(PodRef.Of(p)) is null).ToList();
            return PdbDiagnostics.Diagnose(pdb, onNode, snapshot with { Now = _time.GetUtcNow() }, judgeByPlacement: false);
        }

        /// <summary>Waits for the tracker to see the pod gone; false when --skip-wait-for-delete-timeout gives up on it.</summary>
        private async Task<bool> WaitGoneAsync(PodRef r, PodDeletionTracker tracker, CancellationToken token)
        {
            var gone = tracker.WhenGone(r);
            var skip = options.SkipWaitForDeleteTimeoutSeconds;
            if (skip <= 0)
            {
                await gone.WaitAsync(token);
                return true;
            }
            while (!gone.IsCompleted)
            {
                var ts = tracker.DeletionTimestamp(r);
                var now = _time.GetUtcNow();
                if (ts is { } t && now - t > TimeSpan.FromSeconds(skip))
                {
                    progress?.Report(new PodWaitSkipped(node, now, r, skip));
                    return false;
                }
                var pause = ts is { } t2 ? t2 + TimeSpan.FromSeconds(skip) - now + TimeSpan.FromMilliseconds(1) : DrainConstants.PollInterval;
                if (pause > DrainConstants.PollInterval) pause = DrainConstants.PollInterval;
                using var wake = CancellationTokenSource.CreateLinkedTokenSource(token);
                var delay = Task.Delay(pause, _time, wake.Token);
                await Task.WhenAny(gone, delay);
                wake.Cancel(); // not CancelAsync: that runs the delay's cancellation on the thread pool
                token.ThrowIfCancellationRequested();
            }
            return true;
        }
    }
}
