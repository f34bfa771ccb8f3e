using System.Diagnostics;

namespace Drydock.Sandbox.Diagnostics;

/// <summary>Wall time and call counts of the sandbox's controller passes and API calls, for the rehearsal benchmark:
/// off unless DRYDOCK_SANDBOX_PROFILE=1 (then <see cref="Dump"/> prints and resets the totals).</summary>
public static class Perf
{
    private static readonly Dictionary<string, (long Ticks, long Calls, long Bytes)> Totals = new(StringComparer.Ordinal);
    private static readonly object Gate = new();

    public static bool Enabled { get; } = Environment.GetEnvironmentVariable("DRYDOCK_SANDBOX_PROFILE") == "1";

    /// <summary>Time and bytes allocated on this thread between creation and disposal (nested scopes count in both).</summary>
    public readonly struct Scope(string? name, long start, long startBytes) : IDisposable
    {
        public void Dispose()
        {
            if (name is null) return;
            var t = Stopwatch.GetTimestamp() - start;
            var bytes = GC.GetAllocatedBytesForCurrentThread() - startBytes;
            lock (Gate) { Totals.TryGetValue(name, out var v); Totals[name] = (v.Ticks + t, v.Calls + 1, v.Bytes + bytes); }
        }
    }

    public static Scope Measure(string name) => Enabled ? new(name, Stopwatch.GetTimestamp(), GC.GetAllocatedBytesForCurrentThread()) : default;

    public static Scope Measure(string prefix, string name) => Enabled ? new(prefix + name, Stopwatch.GetTimestamp(), GC.GetAllocatedBytesForCurrentThread()) : default;

    public static string Dump()
    {
        if (!Enabled) return "";
        lock (Gate)
        {
            var sb = new System.Text.StringBuilder();
            foreach (var (k, v) in Totals.OrderByDescending(kv => kv.Value.Ticks).Take(40))
                sb.AppendLine($"      {k,-40} {v.Ticks * 1.0 / Stopwatch.Frequency,9:0.000} s {v.Calls,10} calls {v.Bytes / (1024.0 * 1024),9:0.0} MiB");
            Totals.Clear();
            return sb.ToString();
        }
    }
}
