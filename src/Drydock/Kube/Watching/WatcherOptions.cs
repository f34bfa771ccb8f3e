namespace Drydock.Kube.Watching;

/// <summary>How a <see cref="Watcher{T}"/> reconnects.</summary>
public sealed record WatcherOptions
{
    /// <summary>First back-off after a failed watch or list; doubles per consecutive failure.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Jitter source in [0,1); the back-off is base·2^n·(0.5+jitter). Tests pass () => 0.5 for exact delays.</summary>
    public Func<double> Jitter { get; init; } = Random.Shared.NextDouble;

    /// <summary>Pass BOOKMARK events on to the consumer (they are always used to advance the resourceVersion).</summary>
    public bool EmitBookmarks { get; init; }
}
