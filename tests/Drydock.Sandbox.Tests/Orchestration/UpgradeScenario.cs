using System.Globalization;
using System.Text.Json.Nodes;
using Drydock.Sandbox.Scenarios;

namespace Drydock.Sandbox.Tests.Orchestration;

/// <summary>
/// The end-to-end cluster: the built-in "ha" scenario (3 control planes, kubeadm v1.27.16, PDB-covered
/// workloads) widened to 10 workers and an 8-replica Deployment behind a maxUnavailable 1 PDB. The payments PDB is
/// relaxed to maxUnavailable 1 (as built it allows no disruption at all, so no drain could ever finish) and the bare
/// debug pod is left out (a drain refuses unmanaged pods without --force).
/// </summary>
internal static class UpgradeScenario
{
    public static string Build(int workers = 10, int extraReplicas = 8)
    {
        var list = JsonNode.Parse(BuiltInScenario.Build("ha"))!.AsObject();
        var items = list["items"]!.AsArray();
        var kept = new JsonArray();
        JsonObject? worker3 = null, web = null, webPdb = null;
        foreach (var item in items.Select(i => i!.AsObject()))
        {
            var kind = item["kind"]!.GetValue<string>();
            var name = item["metadata"]!["name"]!.GetValue<string>();
            if (kind == "Pod" && name == "debug-shell") continue;
            if (kind == "PodDisruptionBudget" && name == "payments")
            {
                item["spec"]!.AsObject().Remove("minAvailable");
                item["spec"]!["maxUnavailable"] = 1;
            }
            if (kind == "Node" && name == "worker-3") worker3 = item;
            if (kind == "Deployment" && name == "web") web = item;
            if (kind == "PodDisruptionBudget" && name == "web") webPdb = item;
            kept.Add(item.DeepClone());
        }
        var template = worker3!.ToJsonString();
        for (var i = 4; i <= workers; i++)
        {
            var index = 10 + i;
            var text = template.Replace("\"worker-3\"", $"\"worker-{i}\"", StringComparison.Ordinal)
                .Replace("000000000013", index.ToString("D12", CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("000000000113", (100 + index).ToString("D12", CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("000000000213", (200 + index).ToString("D12", CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("10.244.13.0", $"10.244.{index}.0", StringComparison.Ordinal)
                .Replace("192.168.56.13\"", $"192.168.56.{index}\"", StringComparison.Ordinal)
                .Replace(13.ToString("x32", CultureInfo.InvariantCulture), index.ToString("x32", CultureInfo.InvariantCulture), StringComparison.Ordinal);
            kept.Add(JsonNode.Parse(text));
        }
        if (extraReplicas > 0)
        {
            var api = JsonNode.Parse(web!.ToJsonString().Replace("\"web\"", "\"api\"", StringComparison.Ordinal))!.AsObject();
            api["spec"]!["replicas"] = extraReplicas;
            kept.Add(api);
            kept.Add(JsonNode.Parse(webPdb!.ToJsonString().Replace("\"web\"", "\"api\"", StringComparison.Ordinal)));
        }
        list["items"] = kept;
        return list.ToJsonString();
    }
}
