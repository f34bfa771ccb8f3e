using System.CommandLine;
using System.Globalization;
using Drydock.Cli.Infrastructure;
using Drydock.Common;
using Drydock.Sandbox;
using Drydock.Sandbox.Cluster;
using Drydock.Sandbox.Scenarios;
using Spectre.Console;

namespace Drydock.Cli.Commands;

/// <summary>`drydock sandbox serve`: a simulated kubeadm cluster on 127.0.0.1 that real kubectl (and Drydock) talk to.</summary>
[CliCommand(90)]
internal static class SandboxCommand
{
    public static Command Create(CliServices services)
    {
        var state = new Option<string?>("--state") { Description = "A Kubernetes List to load (what `kubectl get nodes,pods,pdb,deploy,rs,sts,ds -A -o json` prints)" };
        var scenario = new Option<string>("--scenario") { Description = $"Built-in cluster when no --state is given: {string.Join(", ", BuiltInScenario.Names)}", DefaultValueFactory = _ => "default" };
        var listen = new Option<string>("--listen") { Description = "Address to serve on (loopback only); port 0 picks a free one", DefaultValueFactory = _ => "127.0.0.1:0" };
        var kubeconfigOut = new Option<string?>("--kubeconfig-out") { Description = "Where to write the kubeconfig (default: a new temp directory)" };
        var timeScale = new Option<double>("--time-scale") { Description = "Run simulated time N times faster than the wall clock", DefaultValueFactory = _ => 1 };
        var faultRate = new Option<double>("--fault-rate") { Description = "Fraction (0..1) of API requests answered with 429/500/connection reset", DefaultValueFactory = _ => 0 };
        var seed = new Option<int>("--seed") { Description = "Seed for names, uids and injected faults (repeatable runs)", DefaultValueFactory = _ => 1 };
        var serve = new Command("serve", "Serve a simulated kubeadm cluster as a Kubernetes API on 127.0.0.1 until Ctrl-C")
        {
            state, scenario, listen, kubeconfigOut, timeScale, faultRate, seed,
        };
        serve.SetHandler(services, async (parse, ct) =>
        {
            var port = ParseListen(parse.GetValue(listen)!);
            var scale = parse.GetValue(timeScale);
            if (scale <= 0 || double.IsNaN(scale)) throw Usage($"--time-scale must be positive, got {scale.ToString(CultureInfo.InvariantCulture)}");
            var rate = parse.GetValue(faultRate);
            if (rate is < 0 or > 1 || double.IsNaN(rate)) throw Usage($"--fault-rate must be between 0 and 1, got {rate.ToString(CultureInfo.InvariantCulture)}");
            var scenarioName = parse.GetValue(scenario)!;
            if (!BuiltInScenario.Names.Contains(scenarioName)) throw Usage($"unknown --scenario \"{scenarioName}\" (known: {string.Join(", ", BuiltInScenario.Names)})");
            string? json = null;
            if (parse.GetValue(state) is { } path)
            {
                if (!File.Exists(path)) throw Usage($"state file \"{path}\" not found (give a file written by `kubectl get ... -A -o json`)");
                json = await File.ReadAllTextAsync(path, ct);
            }
            var options = new SandboxHostOptions
            {
                StateJson = json, Scenario = scenarioName, Port = port, KubeconfigPath = parse.GetValue(kubeconfigOut),
                Time = Math.Abs(scale - 1) < 1e-9 ? services.Time : new ScaledTimeProvider(scale, services.Time),
                Cluster = new SandboxOptions { FaultRate = rate, Seed = parse.GetValue(seed) },
            };
            SandboxHost host;
            try { host = await SandboxHost.StartAsync(options, ct); }
            catch (FormatException e) { throw Usage($"state file \"{parse.GetValue(state)}\" is not a Kubernetes List: {e.Message}"); }
            catch (System.Text.Json.JsonException e) { throw Usage($"state file \"{parse.GetValue(state)}\" is not valid JSON: {e.Message}"); }
            catch (IOException e) { throw new DrydockException(new OperationError($"cannot listen on 127.0.0.1:{port}: {e.Message} (pick another --listen port)")); }
            await using (host)
            {
                PrintBanner(services, host, scale, rate);
                try { await Task.Delay(Timeout.InfiniteTimeSpan, services.Time, ct); }
                catch (OperationCanceledException) { }
                services.Out.WriteLine("sandbox stopped");
            }
            return ErrorPresenter.Ok;
        });
        return new Command("sandbox", "A simulated kubeadm cluster for trying Drydock and rehearsing (served to kubectl over HTTP)") { serve };
    }

    private static DrydockException Usage(string message) => new(new UsageError(message));

    internal static int ParseListen(string listen)
    {
        var colon = listen.LastIndexOf(':');
        var host = colon < 0 ? listen : listen[..colon];
        var portText = colon < 0 ? "0" : listen[(colon + 1)..];
        if (host is not ("127.0.0.1" or "localhost"))
            throw Usage($"--listen must be on 127.0.0.1 (the sandbox serves loopback only), got \"{listen}\"");
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
            throw Usage($"--listen port must be a number 0-65535, got \"{portText}\"");
        return port;
    }

    private static void PrintBanner(CliServices services, SandboxHost host, double scale, double rate)
    {
        var c = host.Cluster;
        var nodes = c.Objects<Drydock.Kube.Models.Node>().Count;
        var pods = c.Objects<Drydock.Kube.Models.Pod>().Count;
        var url = host.BaseUrl.GetLeftPart(UriPartial.Authority);
        // Plain lines, never wrapped: the export line must stay copy-pasteable on any terminal width.
        var o = services.Out.Profile.Out.Writer;
        o.WriteLine($"Sandbox cluster {c.ApiServerVersion} ({nodes} nodes, {pods} pods)");
        o.WriteLine($"Kubernetes API: {url}");
        if (Math.Abs(scale - 1) > 1e-9) o.WriteLine($"Simulated time runs {scale.ToString(CultureInfo.InvariantCulture)}x faster than the wall clock.");
        if (rate > 0) o.WriteLine($"Injecting faults (429/500/connection reset) on {rate.ToString("P0", CultureInfo.InvariantCulture)} of resource requests.");
        o.WriteLine();
        o.WriteLine("Use it with kubectl:");
        o.WriteLine($"  export KUBECONFIG={host.KubeconfigPath}");
        o.WriteLine("  kubectl get nodes");
        o.WriteLine();
        o.WriteLine($"Node agent: POST {url}/drydock/v1/nodes/NODE/steps");
        o.WriteLine($"Stats:      GET {url}/drydock/v1/stats");
        o.WriteLine("Press Ctrl-C to stop.");
        o.Flush();
    }
}
