namespace Drydock.Sandbox.Api;

internal enum FaultKind { TooManyRequests, InternalError, ConnectionReset }

/// <summary>--fault-rate: answers that fraction of resource requests with a 429, a 500 or a dropped connection,
/// chosen by a seeded generator so a run is repeatable. Discovery, /version and health are never faulted.</summary>
internal sealed class FaultInjector(double rate, int seed)
{
    private readonly Random _random = new(seed);
    private readonly object _gate = new();

    public double Rate { get; } = rate;

    public bool ShouldFail(out FaultKind kind)
    {
        kind = default;
        if (Rate <= 0) return false;
        lock (_gate)
        {
            if (_random.NextDouble() >= Rate) return false;
            kind = (FaultKind)_random.Next(3);
            return true;
        }
    }
}
