using System.Text.Json.Nodes;

namespace Drydock.Nodes.Sandbox;

/// <summary>
/// The JSON the sandbox's node-agent endpoint speaks (POST /drydock/v1/nodes/NODE/steps):
/// a step is <c>{"type":"InstallPackages","packages":["kubeadm"],"version":"1.28.4"}</c> (type = the NodeStep record's
/// name, fields camelCase); a result is <c>{"node","commandLine","exitCode","stdout","stderr","durationMs","facts"?,"versions"?}</c>.
/// </summary>
public static class NodeStepWire
{
    public const string PathPrefix = "/drydock/v1/nodes/";

    public static JsonObject ToJson(NodeStep step)
    {
        var o = new JsonObject { ["type"] = step.GetType().Name };
        switch (step)
        {
            case ListAvailableVersions s: o["package"] = s.Package; break;
            case SwitchRepository s: o["minor"] = s.Minor; break;
            case InstallPackages s: o["packages"] = new JsonArray(s.Packages.Select(p => (JsonNode?)p).ToArray()); o["version"] = s.Version; break;
            case KubeadmUpgradePlan s: if (s.Version is not null) o["version"] = s.Version; break;
            case KubeadmUpgradeApply s: o["version"] = s.Version; o["certificateRenewal"] = s.CertificateRenewal; break;
            case RunCommand s: o["command"] = s.Command; if (s.Timeout is { } t) o["timeoutSeconds"] = t.TotalSeconds; break;
            case ReadFile s: o["path"] = s.Path; break;
            case WriteFile s: o["path"] = s.Path; o["content"] = s.Content; o["mode"] = s.Mode; break;
            // The bytes stay on this machine: a simulated node records what arrived (size and checksum).
            case PutFile s: o["sourcePath"] = s.SourcePath; o["path"] = s.Path; o["length"] = s.Length; o["sha256"] = s.Sha256; o["mode"] = s.Mode; break;
        }
        return o;
    }

    public static NodeStep FromJson(JsonObject o)
    {
        string S(string k) => o[k]?.GetValue<string>() ?? throw new FormatException($"step field \"{k}\" is missing");
        return (o["type"]?.GetValue<string>()) switch
        {
            nameof(QueryNodeFacts) => new QueryNodeFacts(),
            nameof(ListAvailableVersions) => new ListAvailableVersions(S("package")),
            nameof(SwitchRepository) => new SwitchRepository(S("minor")),
            nameof(InstallPackages) => new InstallPackages((o["packages"] as JsonArray ?? throw new FormatException("step field \"packages\" is missing"))
                .Select(p => p!.GetValue<string>()).ToList(), S("version")),
            nameof(KubeadmVersion) => new KubeadmVersion(),
            nameof(KubeadmUpgradePlan) => new KubeadmUpgradePlan(o["version"]?.GetValue<string>()),
            nameof(KubeadmUpgradeApply) => new KubeadmUpgradeApply(S("version"), o["certificateRenewal"]?.GetValue<bool>() ?? true),
            nameof(KubeadmUpgradeNode) => new KubeadmUpgradeNode(),
            nameof(RestartKubelet) => new RestartKubelet(),
            nameof(Reboot) => new Reboot(),
            nameof(RunCommand) => new RunCommand(S("command"), o["timeoutSeconds"] is { } t ? TimeSpan.FromSeconds(t.GetValue<double>()) : null),
            nameof(ReadFile) => new ReadFile(S("path")),
            nameof(WriteFile) => new WriteFile(S("path"), S("content"), o["mode"]?.GetValue<int>() ?? 0x180),
            nameof(PutFile) => new PutFile(S("sourcePath"), S("path"), o["length"]?.GetValue<long>() ?? 0, S("sha256"), o["mode"]?.GetValue<int>() ?? 0x180),
            var other => throw new FormatException($"unknown node step type \"{other}\""),
        };
    }

    public static JsonObject ResultToJson(NodeStepResult r)
    {
        var o = new JsonObject
        {
            ["node"] = r.Node, ["step"] = ToJson(r.Step), ["commandLine"] = r.CommandLine, ["exitCode"] = r.ExitCode,
            ["stdout"] = r.Stdout, ["stderr"] = r.Stderr, ["durationMs"] = (long)r.Duration.TotalMilliseconds,
        };
        if (r.Versions is not null) o["versions"] = new JsonArray(r.Versions.Select(v => (JsonNode?)v).ToArray());
        if (r.Facts is { } f)
        {
            var installed = new JsonObject();
            foreach (var (k, v) in f.Installed) installed[k] = v;
            o["facts"] = new JsonObject
            {
                ["node"] = f.Node, ["packageManager"] = f.PackageManager, ["installed"] = installed,
                ["held"] = new JsonArray(f.Held.Select(h => (JsonNode?)h).ToArray()),
                ["repositoryMinor"] = f.RepositoryMinor, ["swapOn"] = f.SwapOn, ["bootId"] = f.BootId,
            };
        }
        return o;
    }

    public static NodeStepResult ResultFromJson(JsonObject o)
    {
        NodeFacts? facts = null;
        if (o["facts"] is JsonObject f)
            facts = new NodeFacts
            {
                Node = f["node"]!.GetValue<string>(),
                PackageManager = f["packageManager"]!.GetValue<string>(),
                Installed = (f["installed"] as JsonObject ?? []).ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>()),
                Held = (f["held"] as JsonArray ?? []).Select(h => h!.GetValue<string>()).ToList(),
                RepositoryMinor = f["repositoryMinor"]?.GetValue<string>(),
                SwapOn = f["swapOn"]?.GetValue<bool>() ?? false,
                BootId = f["bootId"]?.GetValue<string>(),
            };
        return new NodeStepResult
        {
            Node = o["node"]!.GetValue<string>(),
            Step = FromJson(o["step"] as JsonObject ?? throw new FormatException("result has no step")),
            CommandLine = o["commandLine"]!.GetValue<string>(),
            ExitCode = o["exitCode"]!.GetValue<int>(),
            Stdout = o["stdout"]?.GetValue<string>() ?? "",
            Stderr = o["stderr"]?.GetValue<string>() ?? "",
            Duration = TimeSpan.FromMilliseconds(o["durationMs"]?.GetValue<long>() ?? 0),
            Facts = facts,
            Versions = (o["versions"] as JsonArray)?.Select(v => v!.GetValue<string>()).ToList(),
        };
    }

}
