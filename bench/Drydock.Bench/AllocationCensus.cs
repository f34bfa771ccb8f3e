using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Drydock.Bench;

/// <summary>
/// `DRYDOCK_ALLOC_CENSUS=1`: which types a phase allocates, sampled by the runtime's GC AllocationTick event (one per
/// ~100 KB allocated, naming the type of the object that crossed the mark) — a census, not a stack profile.
/// </summary>
internal sealed class AllocationCensus : EventListener
{
    private readonly ConcurrentDictionary<string, long> _bytes = new();

    public static AllocationCensus? StartIfAsked() =>
        Environment.GetEnvironmentVariable("DRYDOCK_ALLOC_CENSUS") == "1" ? new AllocationCensus() : null;

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName is null || !e.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.Payload is null) return;
        var type = e.PayloadNames!.IndexOf("TypeName") is var i and >= 0 ? e.Payload[i] as string ?? "?" : "?";
        var amount = e.PayloadNames.IndexOf("AllocationAmount64") is var j and >= 0 ? Convert.ToInt64(e.Payload[j], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
        _bytes.AddOrUpdate(type, amount, (_, v) => v + amount);
    }

    /// <summary>Prints the top types since the last dump and starts over.</summary>
    public void Dump(int top = 25)
    {
        var snapshot = _bytes.ToArray();
        _bytes.Clear();
        var total = snapshot.Sum(kv => kv.Value);
        foreach (var (type, bytes) in snapshot.OrderByDescending(kv => kv.Value).Take(top))
            Console.WriteLine($"      alloc {bytes / (1024.0 * 1024),9:0.0} MiB {100.0 * bytes / Math.Max(1, total),5:0.0}%  {type}");
    }
}
