using System.CommandLine;
using Drydock.Cli.Infrastructure;
using Drydock.Common;
using Drydock.Drain;
using Drydock.Kube;

namespace Drydock.Cli.Commands;

/// <summary>`drydock cordon NODE... | -l SEL` — kubectl cordon, except that a failed PATCH exits 1 (kubernetes#89008).</summary>
[CliCommand(30)]
internal static class CordonCommand
{
    public static Command Create(CliServices services) =>
        NodeSchedulingCommand.Create(services, "cordon", "Mark nodes as unschedulable", unschedulable: true);
}

/// <summary>Shared by cordon and uncordon: same arguments, same flow, opposite value.</summary>
internal static class NodeSchedulingCommand
{
    public static Command Create(CliServices services, string verb, string description, bool unschedulable)
    {
        var nodes = new Argument<string[]>("NODE") { Arity = ArgumentArity.ZeroOrMore, Description = "Node names (or node/NAME)" };
        var selector = DrainCliOptions.Selector();
        var dryRun = DrainCliOptions.DryRun();
        var command = new Command(verb, description) { nodes, selector, dryRun };
        command.SetHandler(services, async (parse, ct) =>
        {
            var mode = DrainCliOptions.ParseDryRun(parse, dryRun);
            var names = NodeResolver.ParseNames(parse.GetValue(nodes) ?? [], parse.GetValue(selector), verb);
            var client = await services.KubeClientFactory(parse, ct);
            var resolved = await NodeResolver.ResolveAsync(client, names, parse.GetValue(selector), DrainConstants.DefaultChunkSize, ct);
            var drainer = new NodeDrainer(client, services.Time);
            var renderer = new DrainLineRenderer(services, OutputFormat.Table);
            var failed = 0;
            foreach (var node in resolved.Select(n => n.Metadata.Name!))
            {
                try
                {
                    var result = unschedulable
                        ? await drainer.CordonAsync(node, mode, null, true, ct)
                        : await drainer.UncordonAsync(node, mode, null, true, ct);
                    renderer.Report(result);
                }
                catch (DrydockException e)
                {
                    services.Err.WriteLine($"error: {e.Error.Message}");
                    failed++;
                }
                catch (KubeApiException e)
                {
                    services.Err.WriteLine($"error: unable to {verb} node \"{node}\": {e.Message}");
                    failed++;
                }
            }
            return failed > 0 ? ErrorPresenter.Failed : ErrorPresenter.Ok;
        });
        return command;
    }
}
