using Drydock.Common;

namespace Drydock.Kube.Config;

/// <summary>
/// The outer, file-finding layer of kubeconfig loading, with kubectl's rules: --kubeconfig alone if given;
/// else every existing file in $KUBECONFIG merged (missing ones skipped); else ~/.kube/config.
/// </summary>
public static class KubeconfigLoader
{
    /// <summary>Null when no file applies (no --kubeconfig, no $KUBECONFIG, no ~/.kube/config): the caller may try in-cluster config.</summary>
    public static Kubeconfig? Load(string? explicitPath, Func<string, string?> getEnv)
    {
        if (!string.IsNullOrEmpty(explicitPath)) return LoadFile(explicitPath, "--kubeconfig");
        if (getEnv("KUBECONFIG") is { Length: > 0 } list)
        {
            var paths = list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();
            var files = paths.Where(File.Exists).Select(p => LoadFile(p, "$KUBECONFIG")).ToList();
            if (files.Count == 0)
                throw new DrydockException(new UsageError($"none of the files in $KUBECONFIG exist ({list}); set KUBECONFIG to your kubeconfig file or pass --kubeconfig"));
            return Merge(files);
        }
        var home = getEnv("HOME") ?? getEnv("USERPROFILE");
        if (home is null) return null;
        var defaultPath = Path.Combine(home, ".kube", "config");
        return File.Exists(defaultPath) ? LoadFile(defaultPath, "default") : null;
    }

    public static Kubeconfig LoadFile(string path, string via)
    {
        var full = Path.GetFullPath(path);
        string text;
        try { text = File.ReadAllText(full); }
        catch (FileNotFoundException) { throw Missing(full, via); }
        catch (DirectoryNotFoundException) { throw Missing(full, via); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DrydockException(new UsageError($"kubeconfig {full} cannot be read ({ex.Message}); check its permissions or pass another with --kubeconfig"), ex);
        }
        return KubeconfigParser.Parse(new StringReader(text), full, Path.GetDirectoryName(full));
    }

    /// <summary>kubectl's merge: the first file to define a cluster, user or context name wins; so does the first current-context.</summary>
    public static Kubeconfig Merge(IReadOnlyList<Kubeconfig> files)
    {
        if (files.Count == 1) return files[0];
        var clusters = new Dictionary<string, KubeconfigCluster>(StringComparer.Ordinal);
        var users = new Dictionary<string, KubeconfigUser>(StringComparer.Ordinal);
        var contexts = new Dictionary<string, KubeconfigContext>(StringComparer.Ordinal);
        foreach (var f in files)
        {
            foreach (var (k, v) in f.Clusters) clusters.TryAdd(k, v);
            foreach (var (k, v) in f.Users) users.TryAdd(k, v);
            foreach (var (k, v) in f.Contexts) contexts.TryAdd(k, v);
        }
        return new Kubeconfig
        {
            Source = string.Join(Path.PathSeparator, files.Select(f => f.Source)),
            CurrentContext = files.Select(f => f.CurrentContext).FirstOrDefault(c => !string.IsNullOrEmpty(c)),
            Clusters = clusters, Users = users, Contexts = contexts,
        };
    }

    private static DrydockException Missing(string path, string via) => new(new UsageError(via == "--kubeconfig"
        ? $"kubeconfig {path} does not exist; pass an existing file with --kubeconfig"
        : $"kubeconfig {path} does not exist; fix $KUBECONFIG or pass --kubeconfig"));
}
