using System.CommandLine;
using Drydock.Cli.Infrastructure;
using Drydock.Common;
using Drydock.Planning.Inventory;
using Drydock.Planning.Upgrade;
using Drydock.Sandbox.Rehearsal;
using Drydock.Scheduling;
using Spectre.Console;

namespace Drydock.Cli.Commands;

/// <summary>
/// <c>drydock rehearse --to vX.Y.Z [--snapshot FILE] [--max-unavailable N|P%] [--strategy serial|fixed|smart]
/// [-o table|json|html] [--out FILE]</c>: runs the upgrade orchestrator against a sandbox copy of the cluster in
/// virtual time and reports the timeline, PDB waits, unschedulable pods, skew and etcd quorum. Exit 0 when the
/// upgrade would finish cleanly, 1 when it would not (or would break skew, quorum or a PDB), 2 for bad input.
/// </summary>
[CliCommand(35)]
internal static class RehearseCommand
{
    public static readonly Option<string?> To = new("--to") { Description = "Target Kubernetes version (vX.Y.Z)", Required = true };
    public static readonly Option<string?> Snapshot = new("--snapshot") { Description = "Rehearse a snapshot file (kubectl get nodes,pods,deploy,rs,sts,ds,jobs,pdb,cm -A -o json) instead of the live cluster" };
    public static readonly Option<string> MaxUnavailable = new("--max-unavailable") { Description = "Workers out of service at once: a number or a percentage of workers (default 1)", DefaultValueFactory = _ => "1" };
    public static readonly Option<string> Strategy = new("--strategy") { Description = BatchStrategies.FlagHelp, DefaultValueFactory = _ => "smart" };
    public static readonly Option<string> Profile = new("--profile") { Description = "Step durations: low, typical or high (package install, kubeadm apply/node, kubelet restart, pod start)", DefaultValueFactory = _ => "typical" };
    public static readonly Option<string[]> StepDuration = new("--step-duration")
    {
        Description = $"Override one step's duration, NAME=DURATION, repeatable (names: {string.Join(", ", StepDurationOverrides.Names)}); also used for the range's low and high runs",
        AllowMultipleArgumentsPerToken = false,
    };
    public static readonly Option<bool> NoRange = new("--no-range") { Description = "Rehearse once (skip the low/high profile runs that give the duration range)" };
    public static readonly Option<bool> Force = new("--force") { Description = "Drain: also remove pods without a controller (as drydock upgrade --force)" };
    public static readonly Option<bool> DeleteEmptyDir = new("--delete-emptydir-data") { Description = "Drain: continue even if pods use emptyDir (as drydock upgrade)" };
    public static readonly Option<string?> Out = new("--out") { Description = "Write the report to FILE instead of stdout (e.g. -o html --out report.html)" };
    public static readonly Option<string> Limit = new("--time-limit") { Description = "Stop the rehearsal after this much virtual time (Go duration, e.g. 48h)", DefaultValueFactory = _ => "48h" };

    public static Command Create(CliServices services)
    {
        var command = new Command("rehearse", "Rehearse an upgrade in virtual time on a sandbox copy of the cluster: timeline, PDB waits, unschedulable pods, skew, quorum")
        {
            To, Snapshot, MaxUnavailable, Strategy, Profile, StepDuration, NoRange, Force, DeleteEmptyDir, Out, Limit,
        };
        command.SetHandler(services, (parse, ct) => Handle(services, parse, ct));
        return command;
    }

    internal static async Task<int> Handle(CliServices services, ParseResult parse, CancellationToken ct)
    {
        var format = parse.GetValue(GlobalOptions.Output) ?? "table";
        if (format is not ("table" or "json" or "html" or "wide"))
            throw new DrydockException(new UsageError($"-o {format}: rehearse prints table, json or html"));
        var strategy = BatchStrategies.ParseKind(parse.GetValue(Strategy));
        var batch = BatchSize.Parse(parse.GetValue(MaxUnavailable));
        RehearsalProfile profile;
        try { profile = RehearsalProfile.Named(parse.GetValue(Profile) ?? "typical"); }
        catch (ArgumentException e) { throw new DrydockException(new UsageError($"--profile: {e.Message}")); }
        if (!StepDurationOverrides.TryParse(parse.GetValue(StepDuration) ?? [], out var overrides, out var overrideError))
            throw new DrydockException(new UsageError($"--step-duration {overrideError}"));
        var limit = ParseDuration(parse.GetValue(Limit) ?? "48h");

        string listJson, source;
        if (parse.GetValue(Snapshot) is { } file)
        {
            SnapshotLoader.LoadFile(file); // one clear error for a bad file before the sandbox sees it
            listJson = await File.ReadAllTextAsync(file, ct);
            source = $"snapshot {file}";
        }
        else
        {
            var client = await services.KubeClientFactory(parse, ct);
            listJson = await LiveClusterList.ReadAsync(client, ct);
            source = client.Server.ToString();
        }
        var workers = SnapshotLoader.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(listJson)), source).WorkerNodes.Count();
        var options = new RehearsalOptions
        {
            To = parse.GetValue(To)!, MaxUnavailable = batch.Resolve(Math.Max(1, workers)), Strategy = strategy, Profile = profile, StepDurations = overrides,
            Range = !parse.GetValue(NoRange), Force = parse.GetValue(Force), DeleteEmptyDirData = parse.GetValue(DeleteEmptyDir), Limit = limit,
        };
        // A thread of its own: the virtual-time driver must not count itself among busy thread-pool workers.
        var report = await Task.Factory.StartNew(() => RehearsalEngine.Run(listJson, source, options, ct), ct,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);

        var text = format switch
        {
            "json" => RehearsalJson.Render(report),
            "html" => RehearsalHtml.Render(report),
            _ => null,
        };
        if (parse.GetValue(Out) is { } outFile)
        {
            await File.WriteAllTextAsync(outFile, text ?? string.Join('\n', RehearsalTable.Lines(report, parse.Verbose())) + "\n", ct);
            services.Err.WriteLine($"wrote {outFile}");
        }
        else if (text is not null) PlanCommand.Write(services, text);
        else WriteTable(services, report, parse.Verbose());
        var clean = report.Finished && report.SkewViolations.Count == 0 && report.Quorum.QuorumAlwaysKept && report.Stats.PdbViolations == 0;
        return clean ? ErrorPresenter.Ok : ErrorPresenter.Failed;
    }

    private static void WriteTable(CliServices services, RehearsalReport report, bool verbose)
    {
        var lines = RehearsalTable.Lines(report, verbose);
        if (!services.StdoutIsTty) { PlanCommand.Write(services, string.Join('\n', lines) + "\n"); return; }
        foreach (var l in lines)
        {
            var t = Markup.Escape(l);
            services.Out.MarkupLine(l.StartsWith("would not finish", StringComparison.Ordinal) || l.Contains("never", StringComparison.Ordinal) ? $"[red]{t}[/]" : t);
        }
    }

    private static TimeSpan ParseDuration(string text)
    {
        if (Common.GoDuration.TryParse(text, out var d, out _) && d > TimeSpan.Zero) return d;
        throw new DrydockException(new UsageError($"--time-limit {text}: expected a positive duration such as 48h or 90m"));
    }
}
