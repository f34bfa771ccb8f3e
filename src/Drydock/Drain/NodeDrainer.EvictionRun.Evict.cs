using Drydock.Common;
using Drydock.Kube;
using Drydock.Kube.Models;
using Polly;
using Polly.Retry;

namespace Drydock.Drain;

public sealed partial class NodeDrainer
{
    private sealed partial class EvictionRun
    {
        /// <summary>POST the eviction until accepted; 429 (PDB) and 403 NamespaceTerminating are retried every
        /// <see cref="DrainOptions.EvictionRetryDelay"/>. Returns true when the pod turned out to be gone already.</summary>
        private async Task<bool> EvictAsync(Pod pod, PodRef r, PodDeletionTracker tracker, CancellationToken token)
        {
            var pipeline = new ResiliencePipelineBuilder<bool> { TimeProvider = _time }
                .AddRetry(new RetryStrategyOptions<bool>
                {
                    ShouldHandle = new PredicateBuilder<bool>()
                        .Handle<KubeApiException>(e => IsRetriable(e, r, tracker))
                        .Handle<HttpRequestException>()
                        .Handle<IOException>(),
                    // 429 and a terminating namespace: kubectl's fixed 5 s. A transport failure or a 5xx: sooner.
                    DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                        args.Outcome.Exception is KubeApiException { IsTooManyRequests: true } or KubeApiException { IsForbidden: true }
                            ? options.EvictionRetryDelay
                            : TransientRetryDelay),
                    UseJitter = false,
                    MaxRetryAttempts = int.MaxValue,
                    OnRetry = async args =>
                    {
                        var ex = args.Outcome.Exception!;
                        var after = GoDuration.Format(args.RetryDelay);
                        var line = ex is KubeApiException k && IsNamespaceTerminating(k)
                            ? $"error when evicting pod \"{r.Name}\" from terminating namespace \"{r.Namespace}\" (will retry after {after}): {ex.Message}"
                            : $"error when evicting pods/\"{r.Name}\" -n \"{r.Namespace}\" (will retry after {after}): {ex.Message}";
                        var diagnosis = ex is KubeApiException { IsTooManyRequests: true } e && IsPdbRefusal(e)
                            ? await DiagnoseAsync(pod, tracker, args.Context.CancellationToken) : null;
                        progress?.Report(new PodEvictionRetry(node, _time.GetUtcNow(), r, line, args.RetryDelay, diagnosis));
                        if (diagnosis is not null && Interlocked.Exchange(ref _blockedEventPosted, 1) == 0)
                            await owner.RecordAsync(options, node, DrainConstants.EventReasonDrainBlocked,
                                $"Eviction of {r} refused by PodDisruptionBudget {diagnosis.FullName} ({diagnosis.Numbers}); retrying every {after}",
                                warning: true, args.Context.CancellationToken);
                    },
                })
                .Build();

            // Polly continues on the caller's context (its default is ConfigureAwait(false)): under a rehearsal's driver
            // every retry stays on the driver's thread, in order.
            var context = ResilienceContextPool.Shared.Get(continueOnCapturedContext: true, token);
            try
            {
                return await pipeline.ExecuteAsync(static (ctx, state) => state.run.AttemptAsync(state.r, state.tracker, ctx.CancellationToken),
                    context, (run: this, r, tracker));
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }
        }

        /// <summary>One eviction attempt; true when the pod turned out to be gone already.</summary>
        private async ValueTask<bool> AttemptAsync(PodRef r, PodDeletionTracker tracker, CancellationToken t)
        {
            // Before every attempt: a pod deleted meanwhile, or replaced by a new pod of the same name, is done
            // (kubectl keeps evicting the replacement, kubernetes#91141).
            if (tracker.IsGone(r)) return true;
            progress?.Report(new PodEvicting(node, _time.GetUtcNow(), r, false, options.DryRun));
            try
            {
                await _client.EvictAsync(r.Namespace, r.Name, BuildDeleteOptions(r), ApiDryRun, t);
                return false;
            }
            catch (KubeApiException e) when (e.IsNotFound || e.IsConflict)
            {
                return true; // 404: gone; 409: the UID precondition failed, a replacement carries the name now
            }
            catch (KubeApiException e) when (IsNamespaceTerminating(e) && tracker.DeletionTimestamp(r) is not null)
            {
                return false; // already terminating: go and wait for it
            }
        }

        /// <summary>Pause after a transport failure or a server error (not a refusal) before trying again.</summary>
        private static readonly TimeSpan TransientRetryDelay = TimeSpan.FromSeconds(1);

        /// <summary>429 (PDB or throttling), a terminating namespace, and server errors other than the multiple-PDB
        /// refusal — an eviction is safe to repeat (404 or an already terminating pod end it).</summary>
        private bool IsRetriable(KubeApiException e, PodRef r, PodDeletionTracker tracker) =>
            (e.IsTooManyRequests && !(options.FailFastOnPdb && IsPdbRefusal(e))) ||
            (IsNamespaceTerminating(e) && tracker.DeletionTimestamp(r) is null) ||
            (e.Code >= 500 && !e.Message.Contains("more than one PodDisruptionBudget", StringComparison.Ordinal)) ||
            e.Code == 0;

        /// <summary>A 429 from the disruption budget check, as opposed to API throttling.</summary>
        private static bool IsPdbRefusal(KubeApiException e) =>
            e.Message.Contains("disruption budget", StringComparison.OrdinalIgnoreCase);

        private static bool IsNamespaceTerminating(KubeApiException e) =>
            e.IsForbidden && e.Status.Details?.Causes?.Any(c => c.Reason == "NamespaceTerminating") == true;

        /// <summary>The budget covering the pod with fresh numbers (one GET), else as listed at plan time.</summary>
        private async Task<PdbDiagnosis?> DiagnoseAsync(Pod pod, PodDeletionTracker tracker, CancellationToken token)
        {
            var pdb = PdbDiagnostics.For(pod, snapshot.Pdbs);
            if (pdb is null) return null;
            try
            {
                pdb = await _client.GetAsync<PodDisruptionBudget>(ResourceKind.PodDisruptionBudgets, pdb.Metadata.Namespace, pdb.Metadata.Name ?? "", token);
            }
            catch (KubeApiException)
            {
                // keep the listed one
            }
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
