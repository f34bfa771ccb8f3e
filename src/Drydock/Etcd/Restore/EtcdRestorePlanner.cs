using System.Globalization;
using Drydock.Common;
using Drydock.Nodes;

namespace Drydock.Etcd.Restore;

/// <summary>
/// The seeds' restore procedure made safe, as data. For every member: check the snapshot's sha256 on the node, move the
/// kube-apiserver and etcd manifests aside (kubelet stops the pods), restore into a NEW data dir with the member's
/// name, peer URL and the full initial cluster, write the manifest pointing at it, move it back, wait for etcd, then
/// bring the apiservers back and wait for them. Old data dirs and original manifests are kept.
/// With several members every phase runs on all of them before the next phase: all apiservers stop before any etcd
/// does, and all etcds start together (one alone has no quorum).
/// </summary>
public static class EtcdRestorePlanner
{
    public static EtcdRestorePlan Plan(IReadOnlyList<RestoreTarget> targets, EtcdRestoreOptions options)
    {
        Validate(targets, options);
        var stamp = options.Now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var multi = targets.Count > 1;
        var initialCluster = multi
            ? string.Join(',', targets.Select(t => $"{t.Manifest.Name}={t.Manifest.InitialAdvertisePeerUrls}"))
            : targets[0].Manifest.InitialCluster;
        var members = targets.Select(t => new RestoredMember
        {
            Node = t.Node,
            Name = t.Manifest.Name,
            OldDataDir = t.Manifest.DataHostPath,
            NewDataDir = $"{t.Manifest.DataHostPath.TrimEnd('/')}-restored-{stamp}",
            AsideDir = $"{Path.GetDirectoryName(t.ManifestsDir.TrimEnd('/'))}/drydock-restore-{stamp}",
            ManifestsDir = t.ManifestsDir,
            SnapshotPath = options.Upload is null ? options.SnapshotPath : UploadPath(t, options, stamp),
        }).ToList();
        var pairs = targets.Zip(members).ToList();
        var steps = new List<RestoreStep>();

        if (options.Upload is { } upload)
            foreach (var (t, m) in pairs)
                steps.Add(new NodeRestoreStep(t.Node, "copy the snapshot to the node (sha256 of the copy checked there, mode 0600)",
                    new PutFile(options.SnapshotPath, m.SnapshotPath, upload.Length, upload.Sha256, 0x180)));
        foreach (var (t, m) in pairs)
            steps.Add(options.SkipHashCheck
                ? Run(t, "check the snapshot on the node (no sha256 to verify: --skip-hash-check)", SizeCheckCommand(m.SnapshotPath))
                : Run(t, "verify the snapshot's sha256 on the node", VerifyCommand(m.SnapshotPath)));
        foreach (var (t, m) in pairs.Where(p => p.First.ApiServerHealthUrl is not null))
            steps.Add(Run(t, "stop kube-apiserver: move its manifest aside",
                $"mkdir -p {Q(m.AsideDir)} && mv {Q(Manifest(m, EtcdConstants.ApiServerManifestFile))} {Q(m.AsideDir)}/"));
        foreach (var (t, m) in pairs)
            steps.Add(Run(t, "stop etcd: move its manifest aside",
                $"mkdir -p {Q(m.AsideDir)} && mv {Q(Manifest(m, EtcdConstants.EtcdManifestFile))} {Q(m.AsideDir)}/"));
        foreach (var (t, m) in pairs)
            if (Watch(t, options, "wait until etcd has stopped", up: false) is { } wait) steps.Add(wait);
        foreach (var (t, m) in pairs)
        {
            steps.Add(Run(t, $"restore the snapshot into the new data dir {m.NewDataDir}", RestoreCommand(t, m, initialCluster, m.SnapshotPath, options.SkipHashCheck)));
            var rewritten = EtcdManifest.Rewrite(t.ManifestText, $"{t.Node}:{Manifest(m, EtcdConstants.EtcdManifestFile)}", m.NewDataDir, multi ? initialCluster : null);
            steps.Add(new NodeRestoreStep(t.Node, "write the etcd manifest pointing at the new data dir (the original stays aside)",
                new WriteFile($"{m.AsideDir}/{EtcdConstants.EtcdManifestFile}.restored", rewritten, 0x180)));
        }
        foreach (var (t, m) in pairs)
            steps.Add(Run(t, "start etcd: move the rewritten manifest into place",
                $"mv {Q(m.AsideDir + "/" + EtcdConstants.EtcdManifestFile + ".restored")} {Q(Manifest(m, EtcdConstants.EtcdManifestFile))}"));
        foreach (var (t, m) in pairs)
            if (Watch(t, options, "wait for etcd to serve the restored data", up: true) is { } wait) steps.Add(wait);
        foreach (var (t, m) in pairs.Where(p => p.First.ApiServerHealthUrl is not null))
            steps.Add(Run(t, "start kube-apiserver: move its manifest back",
                $"mv {Q(m.AsideDir + "/" + EtcdConstants.ApiServerManifestFile)} {Q(Manifest(m, EtcdConstants.ApiServerManifestFile))}"));
        foreach (var (t, _) in pairs.Where(p => p.First.ApiServerHealthUrl is not null))
            steps.Add(new WaitForApiServerStep(t.Node, "wait for kube-apiserver to be ready", options.ApiServerHealthUrl ?? t.ApiServerHealthUrl!));

        return new EtcdRestorePlan { Steps = steps, Members = members, InitialCluster = initialCluster };
    }

    private static void Validate(IReadOnlyList<RestoreTarget> targets, EtcdRestoreOptions options)
    {
        if (targets.Count == 0) throw new DrydockException(new UsageError("no node to restore on"));
        var problems = new List<string>();
        var names = targets.Select(t => t.Manifest.Name).ToList();
        foreach (var dup in names.GroupBy(n => n).Where(g => g.Count() > 1))
            problems.Add($"member {dup.Key} appears on {dup.Count()} nodes");
        if (options.Members is { Count: > 0 } members)
        {
            foreach (var m in members.Where(m => m.Name.Length > 0 && !names.Contains(m.Name)))
                problems.Add($"etcd member {m.Name} has no node in this restore: every member must be restored (pass all control-plane nodes)");
            foreach (var n in names.Where(n => members.All(m => m.Name != n)))
                problems.Add($"node's etcd member {n} is not in the cluster's member list");
        }
        if (problems.Count > 0) throw new DrydockException(new UsageError(string.Join("; ", problems)));
    }

    private static string VerifyCommand(string snapshot)
    {
        var f = Q(snapshot);
        return $"n=$(stat -c %s -- {f}) || exit 1; "
            + $"[ $((n % 512)) -eq 32 ] || {{ echo \"{snapshot} carries no sha256 (size $n is not 512k+32): not an etcd snapshot save file\" >&2; exit 1; }}; "
            + $"[ \"$(head -c $((n - 32)) -- {f} | sha256sum | cut -d' ' -f1)\" = \"$(tail -c 32 -- {f} | od -An -v -tx1 | tr -d ' \\n')\" ] "
            + $"|| {{ echo \"{snapshot}: sha256 mismatch, the file is damaged\" >&2; exit 1; }}";
    }

    /// <summary>From the node when Drydock is elsewhere and the manifest has a plain-HTTP metrics listener; else dialled from here.</summary>
    private static RestoreStep? Watch(RestoreTarget t, EtcdRestoreOptions options, string description, bool up) =>
        options.WatchEtcdFromNode && t.Manifest.LocalHealthUrl is { } health
            ? new WaitForEtcdHealthStep(t.Node, description, health, up)
            : t.Manifest.LocalClientUrl is { } url ? new WaitForEtcdStep(t.Node, description, url, up, up ? options.ExpectedRevision : null) : null;

    /// <summary>
    /// kubeadm's data dir is /var/lib/etcd, so the copy goes to /var/lib/etcd-restore/ (beside the data dir, on the
    /// same disk), named after the restore and the original file.
    /// </summary>
    private static string UploadPath(RestoreTarget t, EtcdRestoreOptions options, string stamp)
    {
        var parent = Path.GetDirectoryName(t.Manifest.DataHostPath.TrimEnd('/')) is { Length: > 0 } p ? p.TrimEnd('/') : "";
        return $"{parent}/etcd-restore/{stamp}-{Path.GetFileName(options.SnapshotPath)}";
    }

    /// <summary>Without a trailing hash the file must at least be whole database pages (etcdutl checks nothing more).</summary>
    private static string SizeCheckCommand(string snapshot)
    {
        var f = Q(snapshot);
        return $"n=$(stat -c %s -- {f}) || exit 1; r=$((n % 512)); "
            + $"[ \"$n\" -gt 0 ] && {{ [ $r -eq 0 ] || [ $r -eq 32 ]; }} || {{ echo \"{snapshot}: size $n is not a whole number of database pages (truncated?)\" >&2; exit 1; }}";
    }

    private static string RestoreCommand(RestoreTarget t, RestoredMember m, string initialCluster, string snapshot, bool skipHashCheck)
    {
        var env = t.ToolIsEtcdutl ? "" : "ETCDCTL_API=3 ";
        var token = t.Manifest.InitialClusterToken is { } tok ? $" --initial-cluster-token {Q(tok)}" : "";
        return $"{env}{Q(t.RestoreTool)} snapshot restore {Q(snapshot)} --name {Q(t.Manifest.Name)} --initial-cluster {Q(initialCluster)} "
            + $"--initial-advertise-peer-urls {Q(t.Manifest.InitialAdvertisePeerUrls)}{token} --data-dir {Q(m.NewDataDir)}"
            + (skipHashCheck ? " --skip-hash-check" : "");
    }

    private static NodeRestoreStep Run(RestoreTarget t, string description, string command) =>
        new(t.Node, description, new RunCommand(command, TimeSpan.FromMinutes(10)));

    private static string Manifest(RestoredMember m, string file) => $"{m.ManifestsDir.TrimEnd('/')}/{file}";

    private static string Q(string value) => Shell.Quote(value);
}
