using Drydock.Common;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Drydock.Kube.Config;

/// <summary>
/// Parses one kubeconfig from text (pure: no file access). Relative paths are resolved against
/// <c>folder</c>, the directory of the file the text came from, as kubectl does.
/// </summary>
public static class KubeconfigParser
{
    public static Kubeconfig Parse(TextReader reader, string source, string? folder = null)
    {
        var stream = new YamlStream();
        try { stream.Load(reader); }
        catch (YamlException ex)
        {
            throw Invalid(source, $"is not valid YAML (line {ex.Start.Line}: {FirstLine(ex.Message)})");
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
            return new Kubeconfig { Source = source };
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
            throw Invalid(source, "is not a kubeconfig (expected a mapping with clusters, users and contexts)");

        string? Path(string? p) => p is null || p.Length == 0 || folder is null || System.IO.Path.IsPathRooted(p) ? p : System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, p));

        var clusters = Named(root, "clusters", "cluster", source, m => new KubeconfigCluster
        {
            Server = Str(m, "server"),
            CertificateAuthority = Path(Str(m, "certificate-authority")),
            CertificateAuthorityData = Str(m, "certificate-authority-data"),
            InsecureSkipTlsVerify = Bool(m, "insecure-skip-tls-verify", source),
            TlsServerName = Str(m, "tls-server-name"),
            DefinedIn = source,
        });
        var users = Named(root, "users", "user", source, m => new KubeconfigUser
        {
            ClientCertificate = Path(Str(m, "client-certificate")),
            ClientCertificateData = Str(m, "client-certificate-data"),
            ClientKey = Path(Str(m, "client-key")),
            ClientKeyData = Str(m, "client-key-data"),
            Token = Str(m, "token"),
            TokenFile = Path(Str(m, "tokenFile")),
            Username = Str(m, "username"),
            Password = Str(m, "password"),
            Exec = Child(m, "exec") is { } e ? ParseExec(e, source, folder) : null,
            DefinedIn = source,
        });
        var contexts = Named(root, "contexts", "context", source, m => new KubeconfigContext
        {
            Cluster = Str(m, "cluster"), User = Str(m, "user"), Namespace = Str(m, "namespace"),
        });
        return new Kubeconfig
        {
            Source = source,
            CurrentContext = Str(root, "current-context") is { Length: > 0 } cc ? cc : null,
            Clusters = clusters, Users = users, Contexts = contexts,
        };
    }

    private static KubeconfigExec ParseExec(YamlMappingNode m, string source, string? folder)
    {
        var command = Str(m, "command") ?? "";
        // kubectl: a command with a path separator but not absolute is relative to the kubeconfig's folder.
        if (folder is not null && command.Contains('/') && !System.IO.Path.IsPathRooted(command))
            command = System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, command));
        var args = Child<YamlSequenceNode>(m, "args")?.Children.Select(a => (a as YamlScalarNode)?.Value ?? "").ToList() ?? [];
        var env = Child<YamlSequenceNode>(m, "env")?.Children.OfType<YamlMappingNode>()
            .Select(e => new KeyValuePair<string, string>(Str(e, "name") ?? "", Str(e, "value") ?? "")).ToList() ?? [];
        return new KubeconfigExec
        {
            ApiVersion = Str(m, "apiVersion") ?? "",
            Command = command,
            Args = args,
            Env = env,
            ProvideClusterInfo = Bool(m, "provideClusterInfo", source),
            InteractiveMode = Str(m, "interactiveMode"),
            InstallHint = Str(m, "installHint"),
        };
    }

    /// <summary>A list of {name, KEY: {...}} entries; the first entry with a name wins, as in a merge.</summary>
    private static Dictionary<string, T> Named<T>(YamlMappingNode root, string listKey, string itemKey, string source, Func<YamlMappingNode, T> parse)
    {
        var result = new Dictionary<string, T>(StringComparer.Ordinal);
        var node = Find(root, listKey);
        if (node is null or YamlScalarNode { Value: null or "" or "null" or "~" }) return result;
        if (node is not YamlSequenceNode list) throw Invalid(source, $"has a '{listKey}' that is not a list (line {node.Start.Line})");
        foreach (var entry in list.Children)
        {
            if (entry is not YamlMappingNode item || Str(item, "name") is not { Length: > 0 } name)
                throw Invalid(source, $"has an entry in '{listKey}' without a name (line {entry.Start.Line})");
            var body = Child(item, itemKey) ?? new YamlMappingNode();
            result.TryAdd(name, parse(body));
        }
        return result;
    }

    private static YamlNode? Find(YamlMappingNode m, string key) =>
        m.Children.FirstOrDefault(kv => kv.Key is YamlScalarNode { Value: var k } && k == key).Value;

    private static YamlMappingNode? Child(YamlMappingNode m, string key) => Child<YamlMappingNode>(m, key);

    private static T? Child<T>(YamlMappingNode m, string key) where T : YamlNode => Find(m, key) as T;

    private static string? Str(YamlMappingNode m, string key) => Find(m, key) is YamlScalarNode { Value: var v } && v is not null && v != "~" && v != "null" ? v : null;

    private static bool Bool(YamlMappingNode m, string key, string source) => Str(m, key) switch
    {
        null => false,
        "true" or "True" or "TRUE" => true,
        "false" or "False" or "FALSE" => false,
        var other => throw Invalid(source, $"has '{key}: {other}', which is not true or false"),
    };

    private static string FirstLine(string s) => s.Split('\n', 2)[0].Trim();

    internal static DrydockException Invalid(string source, string what) =>
        new(new UsageError($"kubeconfig {source} {what}; fix the file or pass another with --kubeconfig"));
}
