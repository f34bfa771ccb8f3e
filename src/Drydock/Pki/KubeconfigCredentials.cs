using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Drydock.Pki;

/// <summary>The client credentials of a kubeconfig's current-context user, as kubeadm reads them (renewal/readwriter.go).</summary>
public sealed record KubeconfigCredentials(string UserName, string CertificatePem, string? KeyPem, string? ClusterCaPem);

/// <summary>
/// Reads and rewrites a kubeadm kubeconfig (admin.conf & co.) with YamlDotNet's representation model, so that
/// only the current user's <c>client-certificate-data</c>/<c>client-key-data</c> change and every other key stays.
/// </summary>
public static class KubeconfigFile
{
    public static KubeconfigCredentials Read(string yaml, string path)
    {
        var (_, root) = Load(yaml, path);
        var (user, cluster, userName) = Resolve(root, path);
        var certData = Scalar(user, "client-certificate-data")
            ?? throw new PkiFormatException($"{path}: user \"{userName}\" has no client-certificate-data (only embedded certificates can be checked or renewed)");
        return new KubeconfigCredentials(userName, Decode(certData, path, "client-certificate-data"),
            Scalar(user, "client-key-data") is { } k ? Decode(k, path, "client-key-data") : null,
            cluster is not null && Scalar(cluster, "certificate-authority-data") is { } ca ? Decode(ca, path, "certificate-authority-data") : null);
    }

    /// <summary>Returns the kubeconfig with new embedded client certificate and key for the current-context user.</summary>
    public static string ReplaceClientCredentials(string yaml, string path, string certificatePem, string keyPem)
    {
        var (stream, root) = Load(yaml, path);
        var (user, _, _) = Resolve(root, path);
        user.Children[new YamlScalarNode("client-certificate-data")] = new YamlScalarNode(Encode(certificatePem));
        user.Children[new YamlScalarNode("client-key-data")] = new YamlScalarNode(Encode(keyPem));
        var writer = new StringWriter();
        stream.Save(writer, assignAnchors: false);
        // YamlStream ends every document with an explicit "..." marker; kubeconfigs are written without it.
        var text = writer.ToString().TrimEnd();
        if (text.EndsWith("...", StringComparison.Ordinal)) text = text[..^3].TrimEnd();
        return text + "\n";
    }

    private static (YamlStream Stream, YamlMappingNode Root) Load(string yaml, string path)
    {
        var stream = new YamlStream();
        try { stream.Load(new StringReader(yaml)); }
        catch (YamlException ex) { throw new PkiFormatException($"{path}: not valid YAML ({ex.Message})", ex); }
        return stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode m
            ? (stream, m) : throw new PkiFormatException($"{path}: not a kubeconfig (no top-level mapping)");
    }

    private static (YamlMappingNode User, YamlMappingNode? Cluster, string UserName) Resolve(YamlMappingNode root, string path)
    {
        var current = Scalar(root, "current-context") is { Length: > 0 } c ? c
            : throw new PkiFormatException($"{path}: current-context is not set");
        var context = Named(root, "contexts", current, "context")
            ?? throw new PkiFormatException($"{path}: current-context \"{current}\" is not in contexts");
        var userName = Scalar(context, "user") ?? throw new PkiFormatException($"{path}: context \"{current}\" names no user");
        var user = Named(root, "users", userName, "user") ?? throw new PkiFormatException($"{path}: user \"{userName}\" is not in users");
        var cluster = Scalar(context, "cluster") is { } clusterName ? Named(root, "clusters", clusterName, "cluster") : null;
        return (user, cluster, userName);
    }

    private static YamlMappingNode? Named(YamlMappingNode root, string list, string name, string inner) =>
        root.Children.TryGetValue(new YamlScalarNode(list), out var node) && node is YamlSequenceNode seq
            ? seq.Children.OfType<YamlMappingNode>()
                .Where(e => Scalar(e, "name") == name)
                .Select(e => e.Children.TryGetValue(new YamlScalarNode(inner), out var v) ? v as YamlMappingNode : null)
                .FirstOrDefault(v => v is not null)
            : null;

    private static string? Scalar(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode s ? s.Value : null;

    private static string Decode(string base64, string path, string field)
    {
        try { return Encoding.UTF8.GetString(Convert.FromBase64String(base64.Trim())); }
        catch (FormatException ex) { throw new PkiFormatException($"{path}: {field} is not valid base64", ex); }
    }

    private static string Encode(string pem) => Convert.ToBase64String(Encoding.UTF8.GetBytes(pem));
}
