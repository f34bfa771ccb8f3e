using Drydock.Common;
using Drydock.Nodes.Shell;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Drydock.Nodes.Ssh;

/// <summary>
/// Per-node SSH settings. YAML form (nodes not listed are reached by their node name with the defaults):
/// <code>
/// defaults: { user: ubuntu, port: 22, identityFile: ~/.ssh/id_ed25519, packageManager: apt, sudo: true }
/// nodes:
///   cp-1: { host: 10.0.0.11 }
///   worker-1: { host: 10.0.0.21, user: ec2-user, packageManager: yum }
/// </code>
/// </summary>
public sealed class SshInventory
{
    public IReadOnlyDictionary<string, SshTarget> Nodes { get; }
    public SshTarget? Defaults { get; }

    public SshInventory(IReadOnlyDictionary<string, SshTarget> nodes, SshTarget? defaults = null)
    {
        Nodes = nodes;
        Defaults = defaults;
    }

    public static SshInventory Empty { get; } = new(new Dictionary<string, SshTarget>());

    /// <summary>The target for a node: its inventory entry, else flag/inventory defaults with the node name as host.</summary>
    public SshTarget Resolve(string node, SshTarget? flagDefaults)
    {
        if (Nodes.TryGetValue(node, out var t)) return t;
        var d = flagDefaults ?? Defaults;
        return d is null ? new SshTarget { Node = node, Host = node } : d with { Node = node, Host = node };
    }

    public static SshInventory Load(string path, SshTarget? flagDefaults = null)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DrydockException(new UsageError($"cannot read SSH inventory {path}: {ex.Message} (check --ssh-inventory)"));
        }
        return Parse(text, path, flagDefaults);
    }

    public static SshInventory Parse(string yaml, string source, SshTarget? flagDefaults = null)
    {
        InventoryFile file;
        try
        {
            var deserializer = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();
            file = deserializer.Deserialize<InventoryFile?>(yaml) ?? new InventoryFile();
        }
        catch (YamlException ex)
        {
            throw new DrydockException(new UsageError($"SSH inventory {source} line {ex.Start.Line}: {ex.InnerException?.Message ?? ex.Message} (expected `defaults:` and `nodes: {{NAME: {{host: ...}}}}`)"));
        }
        var problems = new List<string>();
        var defaults = Merge("*", file.Defaults, flagDefaults, problems, requireHost: false);
        var nodes = new Dictionary<string, SshTarget>(StringComparer.Ordinal);
        foreach (var (name, entry) in file.Nodes ?? [])
            if (Merge(name, entry, defaults, problems, requireHost: false) is { } t) nodes[name] = t;
        if (problems.Count > 0)
            throw new DrydockException(new UsageError($"SSH inventory {source}: {string.Join("; ", problems)}"));
        return new SshInventory(nodes, defaults);
    }

    private static SshTarget? Merge(string name, InventoryEntry? e, SshTarget? baseline, List<string> problems, bool requireHost)
    {
        if (e is null) return name == "*" || baseline is null ? baseline : baseline with { Node = name, Host = name };
        PackageManager? pm = baseline?.PackageManager;
        if (e.PackageManager is not null)
        {
            pm = PackageManagers.TryParse(e.PackageManager);
            if (pm is null) problems.Add($"node {name}: packageManager \"{e.PackageManager}\" is not apt, yum or dnf");
        }
        if (e.Port is < 1 or > 65535) problems.Add($"node {name}: port {e.Port} is out of range 1-65535");
        if (requireHost && string.IsNullOrWhiteSpace(e.Host)) problems.Add($"node {name}: host is missing");
        return new SshTarget
        {
            Node = name,
            Host = e.Host ?? (name == "*" ? baseline?.Host ?? "" : name),
            User = e.User ?? baseline?.User ?? "root",
            Port = e.Port ?? baseline?.Port ?? 22,
            IdentityFile = ExpandHome(e.IdentityFile) ?? baseline?.IdentityFile,
            PackageManager = pm,
            Sudo = e.Sudo ?? baseline?.Sudo,
        };
    }

    private static string? ExpandHome(string? path) =>
        path is not null && path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..])
            : path;

    private sealed class InventoryFile
    {
        public InventoryEntry? Defaults { get; set; }
        public Dictionary<string, InventoryEntry?>? Nodes { get; set; }
    }

    private sealed class InventoryEntry
    {
        public string? Host { get; set; }
        public string? User { get; set; }
        public int? Port { get; set; }
        public string? IdentityFile { get; set; }
        public string? PackageManager { get; set; }
        public bool? Sudo { get; set; }
    }
}
