namespace Drydock.Planning.Inventory;

/// <summary>CPU in millicores, memory in bytes, pod slots: what the scheduler counts when it fits a pod.</summary>
public readonly record struct ResourceAmounts(long CpuMilli, long MemoryBytes, int Pods)
{
    public static ResourceAmounts Zero => default;

    public static ResourceAmounts operator +(ResourceAmounts a, ResourceAmounts b) =>
        new(a.CpuMilli + b.CpuMilli, a.MemoryBytes + b.MemoryBytes, a.Pods + b.Pods);

    public static ResourceAmounts operator -(ResourceAmounts a, ResourceAmounts b) =>
        new(a.CpuMilli - b.CpuMilli, a.MemoryBytes - b.MemoryBytes, a.Pods - b.Pods);

    /// <summary>True when <paramref name="request"/> fits into this free amount in every dimension.</summary>
    public bool Fits(ResourceAmounts request) =>
        request.CpuMilli <= CpuMilli && request.MemoryBytes <= MemoryBytes && request.Pods <= Pods;

    public override string ToString() => $"cpu {CpuMilli}m, memory {MemoryBytes / (1024 * 1024)}Mi, pods {Pods}";
}
