using Drydock.Kube;
using Polly;
using Polly.Retry;

namespace Drydock.Drain;

public sealed partial class NodeDrainer
{
    /// <summary>Carries the pod being evicted into the shared pipeline's callbacks.</summary>
    private static readonly ResiliencePropertyKey<EvictionRun.PodEviction> PodEvictionKey = new("drydock.drain.podEviction");

    /// <summary>
    /// The eviction retry pipeline, built once per drainer and shared by every pod of every drain (building one per
    /// pod cost a measurable share of a large rehearsal). What differs per pod and per drain — the retry rules of
    /// <see cref="DrainOptions"/>, the pod, its tracker — travels in the context as a <see cref="EvictionRun.PodEviction"/>.
    /// No jitter and the injected clock: the 5 s wait is exact, in virtual time too.
    /// </summary>
    private static ResiliencePipeline<bool> BuildEvictionRetry(TimeProvider time) =>
        new ResiliencePipelineBuilder<bool> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<bool>
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception switch
                {
                    KubeApiException e => EvictionOf(args.Context).IsRetriable(e),
                    HttpRequestException or IOException => true,
                    _ => false,
                }),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(EvictionOf(args.Context).RetryDelay(args.Outcome.Exception)),
                UseJitter = false,
                MaxRetryAttempts = int.MaxValue,
                OnRetry = args => EvictionOf(args.Context).OnRetryAsync(args.Outcome.Exception!, args.RetryDelay, args.Context.CancellationToken),
            })
            .Build();

    private static EvictionRun.PodEviction EvictionOf(ResilienceContext context) =>
        context.Properties.TryGetValue(PodEvictionKey, out var eviction)
            ? eviction
            : throw new InvalidOperationException("eviction pipeline run without its pod");
}
