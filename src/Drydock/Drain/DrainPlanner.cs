using Drydock.Kube.Models;

namespace Drydock.Drain;

/// <summary>
/// Pure classify step of a drain (kubectl's GetPodsForDeletion without the API calls): runs every pod through the
/// filter chain and groups errors and warnings deterministically — groups in filter order, pods sorted.
/// </summary>
public static class DrainPlanner
{
    public static DrainPlan Plan(NodeDrainSnapshot snapshot, DrainOptions options)
    {
        var filters = DrainFilters.For(options);
        var ctx = new DrainFilterContext(options, snapshot);
        var toEvict = new List<Pod>();
        var skipped = new List<SkippedPod>();
        var errors = new Groups();
        var warnings = new Groups();

        foreach (var pod in snapshot.Pods.OrderBy(p => p.Metadata.Namespace, StringComparer.Ordinal).ThenBy(p => p.Metadata.Name, StringComparer.Ordinal))
        {
            var podWarnings = new List<(int, string)>();
            PodVerdict? final = null;
            var finalFilter = 0;
            for (var i = 0; i < filters.Count && final is null; i++)
            {
                var verdict = filters[i].Apply(pod, ctx);
                if (verdict.Action == PodAction.Warn && verdict.Message is not null) podWarnings.Add((i, verdict.Message));
                if (verdict.IsFinal) { final = verdict; finalFilter = i; }
            }
            var name = PodRef.Of(pod).ToString();
            switch (final?.Action)
            {
                case PodAction.Block:
                    errors.Add(finalFilter, final.Message ?? filters[finalFilter].Name, name);
                    break;
                case PodAction.Skip:
                    skipped.Add(new SkippedPod(PodRef.Of(pod), filters[finalFilter].Name, final.Message));
                    if (final.Message is not null) warnings.Add(finalFilter, final.Message, name);
                    break;
                default:
                    toEvict.Add(pod);
                    foreach (var (i, msg) in podWarnings) warnings.Add(i, msg, name);
                    break;
            }
        }

        return new DrainPlan
        {
            NodeName = snapshot.NodeName,
            ToEvict = toEvict,
            Skipped = skipped,
            Errors = errors.ToList(),
            Warnings = warnings.ToList(),
            Pdbs = PdbDiagnostics.Diagnose(toEvict, snapshot),
        };
    }

    /// <summary>Message groups keyed by message, ordered by the filter that raised them, then by message.</summary>
    private sealed class Groups
    {
        private readonly Dictionary<string, (int Filter, List<string> Pods)> _byMessage = new(StringComparer.Ordinal);

        public void Add(int filter, string message, string pod)
        {
            if (!_byMessage.TryGetValue(message, out var g)) _byMessage[message] = g = (filter, []);
            g.Pods.Add(pod);
        }

        public List<MessageGroup> ToList() =>
            _byMessage.OrderBy(kv => kv.Value.Filter).ThenBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => new MessageGroup(kv.Key, kv.Value.Pods)).ToList();
    }
}
