using System.CommandLine;
using Drydock.Cli.Infrastructure;
using Drydock.Common;
using Drydock.Kube;
using Drydock.Orchestration;
using Drydock.Planning.Upgrade;

namespace Drydock.Cli.Commands;

/// <summary>
/// `drydock maintain -l SEL [--max-unavailable N] [--reboot] -- COMMAND` — seed 002's OS maintenance across many nodes:
/// cordon, drain, run the command, (reboot and wait for a new boot id), wait Ready, uncordon; batch by batch, on the
/// same durable, locked engine as `upgrade` (status, --resume and abort are shared: `drydock upgrade status`).
/// </summary>
[CliCommand(51)]
internal static class MaintainCommand
{
    public static Command Create(CliServices services)
    {
        var selector = new Option<string?>("--selector", "-l") { Description = "Label selector of the nodes to maintain, e.g. node-role.kubernetes.io/worker= or kubernetes.io/hostname=w1" };
        var reboot = new Option<bool>("--reboot") { Description = "Reboot each node after the command and wait until it is back (new boot id) and Ready" };
        var resume = new Option<bool>("--resume") { Description = "Continue the unfinished run recorded in the cluster" };
        var commandTimeout = new Option<int?>("--command-timeout") { Description = "Seconds the command may run on one node (default: --step-timeout)" };
        var work = new Argument<string[]>("COMMAND") { Arity = ArgumentArity.ZeroOrMore, Description = "Shell command to run on each node, after --" };
        var shared = RolloutCliOptions.Create();
        var command = new Command("maintain", "Run OS maintenance node by node: cordon, drain, run COMMAND, optionally reboot, wait Ready, uncordon")
        {
            selector, reboot, resume, commandTimeout, work,
        };
        shared.AddTo(command);
        command.SetHandler(services, async (parse, ct) =>
        {
            if (parse.GetValue(resume)) return await RolloutCli.RunAsync(services, parse, shared, plan: null, ct);
            var sel = parse.GetValue(selector);
            if (string.IsNullOrWhiteSpace(sel)) throw new DrydockException(new UsageError("missing -l/--selector: name the nodes to maintain, e.g. -l node-role.kubernetes.io/worker="));
            var words = parse.GetValue(work) ?? [];
            var text = words.Length == 0 ? null : string.Join(' ', words);
            if (text is null && !parse.GetValue(reboot))
                throw new DrydockException(new UsageError("nothing to do: give a command after -- (e.g. -- 'apt-get -y upgrade') and/or --reboot"));
            var timeout = parse.GetValue(commandTimeout);
            if (timeout is <= 0) throw new DrydockException(new UsageError("--command-timeout must be a positive number of seconds"));
            var kube = await services.KubeClientFactory(parse, ct);
            var nodes = await kube.ListNodesAsync(sel, ct);
            if (nodes.Count == 0) throw new DrydockException(new UsageError($"no nodes match -l {sel}"));
            var batch = BatchSize.TryParse(parse.GetValue(shared.MaxUnavailable) ?? "1", out var batchError)
                ?? throw new DrydockException(new UsageError(batchError));
            var maxUnavailable = batch.Resolve(nodes.Count(n => !RolloutPlanner.IsControlPlane(n)));
            var plan = RolloutPlanner.ForMaintenance(nodes, maxUnavailable,
                new MaintenanceWork(text, parse.GetValue(reboot), timeout is { } s ? TimeSpan.FromSeconds(s) : null));
            return await RolloutCli.RunAsync(services, parse, shared, plan, ct, kube);
        });
        return command;
    }
}
