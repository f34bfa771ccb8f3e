using System.Diagnostics;

namespace Drydock.Bench;

/// <summary>
/// Wall time, CPU time (process, all threads), allocations and working set of a phase, in one line. On a shared,
/// loaded machine wall time includes waiting for a core; CPU time is what the code itself costs.
/// </summary>
internal static class Measure
{
    public static async Task<(T Result, TimeSpan Wall, TimeSpan Cpu)> Phase<T>(string name, Func<Task<T>> body)
    {
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var result = await body();
        sw.Stop();
        var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
        var allocMiB = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (1024.0 * 1024);
        Console.WriteLine($"{name,-42} wall {sw.Elapsed.TotalMilliseconds,7:0} ms   cpu {cpuMs,7:0} ms   allocated {allocMiB,8:0} MiB   working set {Process.GetCurrentProcess().WorkingSet64 / (1024.0 * 1024),6:0} MiB");
        return (result, sw.Elapsed, TimeSpan.FromMilliseconds(cpuMs));
    }

    public static double PeakWorkingSetMiB()
    {
        using var p = Process.GetCurrentProcess();
        p.Refresh();
        return p.PeakWorkingSet64 / (1024.0 * 1024);
    }
}
