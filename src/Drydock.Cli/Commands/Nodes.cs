using System.CommandLine;
using Drydock.Cli.Infrastructure;
using Drydock.Kube;
using Drydock.Kube.Inventory;
using Drydock.Kube.Json;
using Drydock.Kube.Models;

namespace Drydock.Cli.Commands;

/// <summary>`drydock nodes`: one row per node, as `kubectl get nodes -o wide` plus roles; -o wide adds INTERNAL-IP and KERNEL-VERSION; -o json|yaml prints a v1 List.</summary>
[CliCommand(20)]
internal static class NodesCommand
{
    public static readonly string[] Columns = ["NAME", "ROLES", "STATUS", "KUBELET", "KUBE-PROXY", "OS-IMAGE", "RUNTIME", "AGE"];

    /// <summary>-o wide adds what kubectl's wide view has beyond ours.</summary>
    public static readonly string[] WideColumns = [.. Columns, "INTERNAL-IP", "KERNEL-VERSION"];

    public static Command Create(CliServices services)
    {
        var selector = new Option<string?>("--selector", "-l") { Description = "Label selector to filter nodes, e.g. -l node-role.kubernetes.io/control-plane" };
        var command = new Command("nodes", "List the cluster's nodes: roles, readiness, schedulability, kubelet/kube-proxy versions, OS, runtime, age") { selector };
        command.SetHandler(services, async (parse, ct) =>
        {
            var client = await services.KubeClientFactory(parse, ct);
            IReadOnlyList<Node> nodes;
            try { nodes = await client.ListNodesAsync(parse.GetValue(selector), ct); }
            finally { (client as IDisposable)?.Dispose(); }
            Render(services, parse.Output(), nodes);
            return ErrorPresenter.Ok;
        });
        return command;
    }

    internal static void Render(CliServices services, OutputFormat format, IReadOnlyList<Node> nodes)
    {
        var output = services.Out.Profile.Out.Writer;
        var sorted = nodes.OrderBy(n => n.Metadata.Name, StringComparer.Ordinal).ToList();
        if (format is OutputFormat.Json or OutputFormat.Yaml)
        {
            var json = KubeJson.Serialize(new KubeList<Node> { ApiVersion = "v1", Kind = "List", Metadata = new ListMeta { ResourceVersion = "" }, Items = sorted });
            if (format == OutputFormat.Json) output.WriteLine(KubeOutput.IndentJson(json));
            else output.Write(KubeOutput.JsonToYaml(json));
            return;
        }
        if (sorted.Count == 0)
        {
            services.Err.WriteLine("No resources found");
            return;
        }
        var now = services.Time.GetUtcNow();
        var wide = format == OutputFormat.Wide;
        var rows = sorted.Select(n => NodeSummary.From(n, now))
            .Select(s => wide
                ? new[] { s.Name, s.Roles, s.Status, s.KubeletVersion, s.KubeProxyVersion, s.OsImage, s.ContainerRuntime, s.Age, s.InternalIp, s.KernelVersion }
                : new[] { s.Name, s.Roles, s.Status, s.KubeletVersion, s.KubeProxyVersion, s.OsImage, s.ContainerRuntime, s.Age })
            .ToList();
        foreach (var line in Columnize([wide ? WideColumns : Columns, .. rows])) output.WriteLine(line);
    }

    /// <summary>kubectl's tabwriter layout: left-aligned columns separated by three spaces, no trailing blanks.</summary>
    internal static IEnumerable<string> Columnize(IReadOnlyList<string[]> rows)
    {
        var widths = Enumerable.Range(0, rows[0].Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        return rows.Select(r => string.Join("   ", r.Select((cell, i) => i == r.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
    }
}
