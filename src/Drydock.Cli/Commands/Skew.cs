using System.CommandLine;
using Drydock.Cli.Infrastructure;
using Drydock.Planning.Reporting;
using Drydock.Planning.Upgrade;
using Drydock.Versions;

namespace Drydock.Cli.Commands;

/// <summary>
/// <c>drydock skew [--snapshot FILE]</c>: every component version, and each version-skew-policy violation with the
/// components, versions and the rule. Exit 1 when there is any.
/// </summary>
[CliCommand(15)]
internal static class SkewCommand
{
    public static readonly Option<string?> Snapshot = new("--snapshot") { Description = "Read a snapshot file (kubectl get nodes,pods,deploy,rs,sts,ds,jobs,pdb,cm -A -o json) instead of the live cluster" };

    public static readonly Option<string> Kubectl = new("--kubectl")
    {
        Description = "The kubectl client to check against the live cluster (kubectl version --client); empty to skip",
        DefaultValueFactory = _ => "kubectl",
    };

    public static Command Create(CliServices services)
    {
        var command = new Command("skew", "Check every component pair against the Kubernetes version skew policy") { Snapshot, Kubectl };
        command.SetHandler(services, (parse, ct) => Handle(services, parse, ct));
        return command;
    }

    private sealed record SkewReport(string Source, IReadOnlyList<VersionGroup> Versions, IReadOnlyList<SkewViolation> Violations, IReadOnlyList<string> Notes);

    private sealed record VersionGroup(string Component, string Version, int Count, IReadOnlyList<string> Nodes);

    internal static async Task<int> Handle(CliServices services, ParseResult parse, CancellationToken ct)
    {
        var file = parse.GetValue(Snapshot);
        var snapshot = file is not null
            ? Planning.Inventory.SnapshotLoader.LoadFile(file)
            : await new Planning.Inventory.ClusterInventory(await services.KubeClientFactory(parse, ct), services.Time).ReadAsync(ct);
        // The local kubectl matters for the cluster it talks to now; a snapshot may come from anywhere.
        var notes = new List<string>();
        var extra = new List<ComponentInstance>();
        if (file is null && parse.GetValue(Kubectl) is { Length: > 0 } kubectlPath)
        {
            var probe = await KubectlClientProbe.RunAsync(new Drydock.Nodes.Local.LocalNodeAgent(Environment.MachineName, services.Time), kubectlPath, ct);
            if (probe.Version is { } v) extra.Add(new ComponentInstance(Component.Kubectl, v));
            else notes.Add(probe.Note);
        }
        var versions = VersionSimulation.Current(snapshot, extra);
        var violations = SkewPolicy.Check(versions);
        var groups = versions.Instances
            .GroupBy(i => (i.Component, i.Version))
            .OrderBy(g => g.Key.Component).ThenByDescending(g => g.Key.Version)
            .Select(g => new VersionGroup(g.Key.Component.Name(), g.Key.Version.ToString(), g.Count(), g.Select(i => i.Node ?? "-").ToList()))
            .ToList();
        var report = new SkewReport(snapshot.Source, groups, violations, notes);
        switch (parse.Output())
        {
            case OutputFormat.Json: PlanCommand.Write(services, PlanReportSerializer.ToJson(report)); break;
            case OutputFormat.Yaml: PlanCommand.Write(services, PlanReportSerializer.ToYaml(report)); break;
            default:
                var lines = new List<StyledLine>();
                var rows = new List<string[]> { new[] { "COMPONENT", "VERSION", "INSTANCES" } };
                foreach (var g in groups)
                    rows.Add([g.Component, g.Version, $"{g.Count} ({string.Join(", ", g.Nodes.Take(4))}{(g.Nodes.Count > 4 ? ", …" : "")})"]);
                lines.AddRange(TextTable.Format(rows).Select(l => new StyledLine(l)));
                lines.Add(new StyledLine(""));
                lines.AddRange(notes.Select(n => new StyledLine(n)));
                if (violations.Count == 0)
                    lines.Add(new StyledLine("Every component pair is within the version skew policy.", LineStyle.Pass));
                else
                {
                    lines.Add(new StyledLine($"{violations.Count} version skew violation(s) (https://kubernetes.io/releases/version-skew-policy/):", LineStyle.Fail));
                    lines.AddRange(violations.Select(v => new StyledLine("- " + v.Message, LineStyle.Fail)));
                }
                PlanCommand.WriteStyled(services, lines);
                break;
        }
        return violations.Count > 0 ? ErrorPresenter.Failed : ErrorPresenter.Ok;
    }
}
