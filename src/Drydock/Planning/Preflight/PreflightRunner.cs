namespace Drydock.Planning.Preflight;

/// <summary>Runs checks in order; a check that throws becomes a Fail naming the exception (a bug, but never a lost verdict).</summary>
public static class PreflightRunner
{
    /// <summary>The built-in checks, in the order the plan prints them.</summary>
    public static IReadOnlyList<IPreflightCheck> BuiltIn { get; } =
    [
        new ApiServerCheck(), new InventoryCheck(), new NodesReadyCheck(), new ControlPlanePodsCheck(), new ControlPlaneCountCheck(),
        new SkewNowCheck(), new SkewDuringPlanCheck(), new RemovedApisCheck(), new PdbDrainBlockersCheck(), new DrainFlagsCheck(),
        new DrainCapacityCheck(),
    ];

    public static async Task<IReadOnlyList<PreflightResult>> RunAsync(PreflightContext context, IEnumerable<IPreflightCheck>? checks = null, CancellationToken ct = default)
    {
        var results = new List<PreflightResult>();
        foreach (var check in checks ?? BuiltIn)
        {
            ct.ThrowIfCancellationRequested();
            try { results.Add(await check.RunAsync(context, ct).ConfigureAwait(false)); }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                results.Add(new PreflightResult
                {
                    Check = check.Name, Status = PreflightStatus.Fail, Summary = $"check failed: {e.Message}",
                    Remedy = "report this as a Drydock bug (run with -v for details)",
                });
            }
        }
        return results;
    }
}
