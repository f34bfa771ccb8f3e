using Drydock.Common;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Drydock.Etcd.Restore;

/// <summary>
/// kubeadm's etcd static pod manifest (/etc/kubernetes/manifests/etcd.yaml): the flags a restore must reuse (--name,
/// --initial-cluster, --initial-advertise-peer-urls, --initial-cluster-token, --data-dir) and the hostPath volume
/// mounted at the data dir. <see cref="Rewrite"/> changes only those scalars, keeping every other field as it was.
/// </summary>
public sealed record EtcdManifest
{
    public required string Name { get; init; }
    public required string DataDir { get; init; }
    public required string InitialCluster { get; init; }
    public required string InitialAdvertisePeerUrls { get; init; }
    /// <summary>Null when not set (etcd's default "etcd-cluster").</summary>
    public string? InitialClusterToken { get; init; }
    /// <summary>The host directory behind the data dir (kubeadm: the etcd-data hostPath, same path as --data-dir).</summary>
    public required string DataHostPath { get; init; }
    public IReadOnlyList<string> ListenClientUrls { get; init; } = [];
    public IReadOnlyList<string> AdvertiseClientUrls { get; init; } = [];
    /// <summary>--listen-metrics-urls: kubeadm serves plain-HTTP /health on http://127.0.0.1:2381 (its liveness probe).</summary>
    public IReadOnlyList<string> ListenMetricsUrls { get; init; } = [];

    /// <summary>A plain-HTTP /health URL that answers on the member's own node (no client certificate needed), if any.</summary>
    public string? LocalHealthUrl =>
        ListenMetricsUrls.FirstOrDefault(u => u.StartsWith("http://", StringComparison.Ordinal)) is { } m ? m.TrimEnd('/') + "/health" : null;

    /// <summary>Where to ask this member for its status from its own node: a loopback client URL if it listens on one.</summary>
    public Uri? LocalClientUrl
    {
        get
        {
            var all = ListenClientUrls.Concat(AdvertiseClientUrls).ToList();
            var pick = all.FirstOrDefault(u => u.Contains("://127.0.0.1:", StringComparison.Ordinal) || u.Contains("://localhost:", StringComparison.Ordinal)) ?? all.FirstOrDefault();
            return pick is not null && Uri.TryCreate(pick, UriKind.Absolute, out var uri) ? uri : null;
        }
    }

    public static EtcdManifest Parse(string yaml, string source)
    {
        var (_, container, volumes) = Load(yaml, source);
        var flags = Flags(container);
        string Need(string flag) => flags.TryGetValue(flag, out var v) && v.Value.Length > 0
            ? v.Value
            : throw Invalid(source, $"the etcd container has no --{flag}");
        var dataDir = Need("data-dir");
        var name = Need("name");
        var hostPath = DataVolumeHostPath(container, volumes, dataDir) ?? throw Invalid(source, $"no hostPath volume is mounted at the data dir {dataDir}");
        return new EtcdManifest
        {
            Name = name,
            DataDir = dataDir,
            InitialCluster = flags.TryGetValue("initial-cluster", out var ic) ? ic.Value : $"{name}={Need("initial-advertise-peer-urls")}",
            InitialAdvertisePeerUrls = Need("initial-advertise-peer-urls"),
            InitialClusterToken = flags.TryGetValue("initial-cluster-token", out var t) ? t.Value : null,
            DataHostPath = hostPath.Value ?? "",
            ListenClientUrls = flags.TryGetValue("listen-client-urls", out var l) ? Split(l.Value) : [],
            AdvertiseClientUrls = flags.TryGetValue("advertise-client-urls", out var a) ? Split(a.Value) : [],
            ListenMetricsUrls = flags.TryGetValue("listen-metrics-urls", out var lm) ? Split(lm.Value) : [],
        };
    }

    /// <summary>
    /// The manifest with the data dir moved to <paramref name="newDataDir"/> (--data-dir, the volume's mountPath and its
    /// hostPath, so the path is the same inside and outside, as kubeadm lays it out) and, for a multi-member restore,
    /// --initial-cluster set to every member and --initial-cluster-state=new.
    /// </summary>
    public static string Rewrite(string yaml, string source, string newDataDir, string? initialCluster = null)
    {
        var (stream, container, volumes) = Load(yaml, source);
        var flags = Flags(container);
        var oldDataDir = flags.TryGetValue("data-dir", out var d) ? d.Value : throw Invalid(source, "the etcd container has no --data-dir");
        var hostPath = DataVolumeHostPath(container, volumes, oldDataDir) ?? throw Invalid(source, $"no hostPath volume is mounted at the data dir {oldDataDir}");
        SetFlag(container, flags, "data-dir", newDataDir);
        foreach (var mount in Sequence(container, "volumeMounts"))
            if (Scalar(mount, "mountPath") is { } mp && mp.Value == oldDataDir) mp.Value = newDataDir;
        hostPath.Value = newDataDir;
        if (initialCluster is not null)
        {
            SetFlag(container, flags, "initial-cluster", initialCluster);
            SetFlag(container, flags, "initial-cluster-state", "new");
        }
        using var writer = new StringWriter();
        stream.Save(writer, assignAnchors: false);
        var text = writer.ToString();
        // YamlStream ends every document with an explicit "..."; kubeadm's files do not.
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
    }

    private static (YamlStream Stream, YamlMappingNode Container, IReadOnlyList<YamlMappingNode> Volumes) Load(string yaml, string source)
    {
        var stream = new YamlStream();
        try { stream.Load(new StringReader(yaml)); }
        catch (YamlException ex) { throw Invalid(source, $"not valid YAML ({ex.Start.Line}:{ex.Start.Column}: {ex.Message})"); }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root) throw Invalid(source, "not a Pod manifest");
        var spec = root.Children.TryGetValue(new YamlScalarNode("spec"), out var s) && s is YamlMappingNode m ? m : throw Invalid(source, "no spec");
        var containers = Sequence(spec, "containers");
        var container = containers.FirstOrDefault(c => Scalar(c, "name")?.Value == "etcd")
            ?? containers.FirstOrDefault(c => Command(c).FirstOrDefault()?.Value is "etcd" or "/usr/local/bin/etcd")
            ?? throw Invalid(source, "no etcd container");
        return (stream, container, Sequence(spec, "volumes"));
    }

    private static YamlScalarNode? DataVolumeHostPath(YamlMappingNode container, IReadOnlyList<YamlMappingNode> volumes, string dataDir)
    {
        var volumeName = Sequence(container, "volumeMounts").Where(v => Scalar(v, "mountPath")?.Value == dataDir).Select(v => Scalar(v, "name")?.Value).FirstOrDefault();
        var volume = volumes.FirstOrDefault(v => Scalar(v, "name")?.Value == volumeName);
        return volume is not null && volume.Children.TryGetValue(new YamlScalarNode("hostPath"), out var hp) && hp is YamlMappingNode hostPath
            ? Scalar(hostPath, "path")
            : null;
    }

    /// <summary>"--flag=value" items of command and args, by flag name; the value is the scalar to edit in place.</summary>
    private static Dictionary<string, FlagRef> Flags(YamlMappingNode container)
    {
        var flags = new Dictionary<string, FlagRef>(StringComparer.Ordinal);
        foreach (var node in Command(container))
        {
            var text = node.Value ?? "";
            if (!text.StartsWith("--", StringComparison.Ordinal)) continue;
            var eq = text.IndexOf('=');
            var name = eq < 0 ? text[2..] : text[2..eq];
            flags[name] = new FlagRef(node, eq < 0 ? "" : text[(eq + 1)..]);
        }
        return flags;
    }

    private static void SetFlag(YamlMappingNode container, Dictionary<string, FlagRef> flags, string name, string value)
    {
        if (flags.TryGetValue(name, out var existing)) existing.Node.Value = $"--{name}={value}";
        else if (container.Children.TryGetValue(new YamlScalarNode("command"), out var c) && c is YamlSequenceNode command) command.Add(new YamlScalarNode($"--{name}={value}"));
    }

    private static IEnumerable<YamlScalarNode> Command(YamlMappingNode container) =>
        new[] { "command", "args" }
            .Select(k => container.Children.TryGetValue(new YamlScalarNode(k), out var n) ? n as YamlSequenceNode : null)
            .Where(s => s is not null)
            .SelectMany(s => s!.Children.OfType<YamlScalarNode>());

    private static IReadOnlyList<YamlMappingNode> Sequence(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var n) && n is YamlSequenceNode seq ? [.. seq.Children.OfType<YamlMappingNode>()] : [];

    private static YamlScalarNode? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var n) ? n as YamlScalarNode : null;

    private static IReadOnlyList<string> Split(string value) => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static DrydockException Invalid(string source, string reason) =>
        new(new OperationError($"etcd manifest {source}: {reason}"));

    private sealed record FlagRef(YamlScalarNode Node, string Value);
}
