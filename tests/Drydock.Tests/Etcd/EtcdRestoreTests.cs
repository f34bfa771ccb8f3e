using Drydock.Common;
using Drydock.Etcd;
using Drydock.Etcd.Restore;
using Drydock.Etcd.Snapshot;
using Drydock.Nodes;
using Drydock.Nodes.Local;
using Drydock.Tests.Etcd.Support;

namespace Drydock.Tests.Etcd;

/// <summary>
/// The restore procedure end to end on fake control-plane nodes in a temp dir: real etcd started from the manifest by a
/// fake kubelet, the real etcdctl doing the restore, the LocalNodeAgent running every step.
/// </summary>
public sealed class EtcdRestoreTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static EtcdRestoreExecutor Executor(params string[] nodes) => new(
        node => nodes.Contains(node) ? new LocalNodeAgent(node, TimeProvider.System) : throw new NodeAgentException(node, "unknown node"),
        endpoint => new EtcdClient(new EtcdOptions { Endpoints = [endpoint], DialTimeout = TimeSpan.FromSeconds(1), CommandTimeout = TimeSpan.FromSeconds(2) }, TimeProvider.System),
        TimeProvider.System);

    private static async Task WaitUpAsync(Uri endpoint)
    {
        await using var client = new EtcdClient(new EtcdOptions { Endpoints = [endpoint] }, TimeProvider.System);
        for (var i = 0; i < 150; i++)
        {
            try { await client.StatusAsync(); return; }
            catch (DrydockException) { await Task.Delay(100); }
        }
        throw new TimeoutException($"etcd at {endpoint} did not come up");
    }

    [Fact]
    public async Task Should_restore_a_single_member_node_from_a_drydock_snapshot()
    {
        // Given a control-plane node whose kubelet runs etcd from its manifest, with keys written
        var node = FakeControlPlaneNode.Create(_dir["cp-1"], "cp-1");
        await using var kubelet = new FakeKubelet(node.ManifestsDir);
        await WaitUpAsync(node.ClientUrl);
        var server = node.ClientUrl;
        for (var i = 0; i < 5; i++) await Etcdctl.OkAsync(null, null, $"--endpoints={server}", "put", $"/registry/pods/p{i}", $"v{i}");

        // And a Drydock snapshot, after which the data changes
        var snapshot = _dir["backup.db"];
        await using (var client = new EtcdClient(new EtcdOptions { Endpoints = [server] }, TimeProvider.System))
            await new SnapshotSaver(client, TimeProvider.System).SaveAsync(snapshot);
        var status = await SnapshotStatusReader.ReadAsync(snapshot);
        await Etcdctl.OkAsync(null, null, $"--endpoints={server}", "put", "/registry/pods/after-backup", "x");
        await Etcdctl.OkAsync(null, null, $"--endpoints={server}", "del", "/registry/pods/p0");

        // When the restore is discovered, planned and executed through the local node agent
        var executor = Executor("cp-1");
        var target = await executor.DiscoverAsync("cp-1", node.ManifestsDir);
        var options = new EtcdRestoreOptions
        {
            SnapshotPath = snapshot,
            Now = new DateTimeOffset(2026, 11, 22, 1, 2, 3, TimeSpan.Zero),
            ExpectedRevision = status.Revision,
            ApiServerHealthUrl = $"http://127.0.0.1:{node.ApiServerPort}/readyz",
            HealthTimeout = TimeSpan.FromSeconds(30),
            PollInterval = TimeSpan.FromMilliseconds(100),
        };
        var plan = EtcdRestorePlanner.Plan([target], options);
        var members = await executor.ExecuteAsync(plan, options);

        // Then etcd serves the snapshot's keys again (the later write is gone, the deleted key is back)
        var keys = await Etcdctl.OkAsync(null, null, $"--endpoints={server}", "get", "/registry/pods/", "--prefix", "--keys-only");
        keys.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().BeEquivalentTo(Enumerable.Range(0, 5).Select(i => $"/registry/pods/p{i}"));

        // And the manifest points at the new data dir, the old one and the original manifest are kept, the apiserver is back
        var member = members.Should().ContainSingle().Subject;
        member.NewDataDir.Should().Be(node.DataDir + "-restored-20261122T010203Z");
        Directory.Exists(Path.Combine(member.NewDataDir, "member", "snap")).Should().BeTrue();
        Directory.Exists(Path.Combine(node.DataDir, "member")).Should().BeTrue("the old data dir is kept");
        var manifest = EtcdManifest.Parse(await File.ReadAllTextAsync(Path.Combine(node.ManifestsDir, "etcd.yaml")), "etcd.yaml");
        manifest.DataDir.Should().Be(member.NewDataDir);
        manifest.DataHostPath.Should().Be(member.NewDataDir);
        File.Exists(Path.Combine(member.AsideDir, "etcd.yaml")).Should().BeTrue("the original manifest stays aside");
        File.Exists(Path.Combine(node.ManifestsDir, "kube-apiserver.yaml")).Should().BeTrue();
        kubelet.Events.Should().ContainInOrder("stopped kube-apiserver", $"started etcd --data-dir={member.NewDataDir}", "started kube-apiserver");
        kubelet.Events.Should().ContainInOrder("stopped etcd", $"started etcd --data-dir={member.NewDataDir}");
    }

    [Fact]
    public async Task Should_plan_every_step_for_a_dry_run_and_change_nothing()
    {
        // Given a node layout (no etcd needs to run: discovery only reads)
        var node = FakeControlPlaneNode.Create(_dir["cp-1"], "cp-1");
        var before = Directory.GetFiles(_dir.Path, "*", SearchOption.AllDirectories).Select(f => (f, File.ReadAllText(f))).ToList();

        // When the restore is discovered and planned
        var target = await Executor("cp-1").DiscoverAsync("cp-1", node.ManifestsDir);
        var plan = EtcdRestorePlanner.Plan([target], new EtcdRestoreOptions { SnapshotPath = "/backup/etcd.db", Now = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero) });

        // Then the plan holds the seed's procedure, in order, and nothing on disk changed
        plan.Steps.Select(s => s.Description).Should().Equal(
            "verify the snapshot's sha256 on the node",
            "stop kube-apiserver: move its manifest aside",
            "stop etcd: move its manifest aside",
            "wait until etcd has stopped",
            $"restore the snapshot into the new data dir {node.DataDir}-restored-20260102T030405Z",
            "write the etcd manifest pointing at the new data dir (the original stays aside)",
            "start etcd: move the rewritten manifest into place",
            "wait for etcd to serve the restored data",
            "start kube-apiserver: move its manifest back",
            "wait for kube-apiserver to be ready");
        var restore = plan.Steps[4].Render();
        restore.Should().Contain("ETCDCTL_API=3 /usr/bin/etcdctl snapshot restore /backup/etcd.db --name cp-1")
            .And.Contain($"--initial-cluster cp-1={node.PeerUrl} --initial-advertise-peer-urls {node.PeerUrl}");
        Directory.GetFiles(_dir.Path, "*", SearchOption.AllDirectories).Select(f => (f, File.ReadAllText(f))).Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task Should_stop_before_touching_manifests_when_the_snapshot_is_damaged()
    {
        // Given a node and a snapshot file with a flipped byte
        var node = FakeControlPlaneNode.Create(_dir["cp-1"], "cp-1");
        var bad = _dir["bad.db"];
        var bytes = new byte[4096 * 4 + 32];
        bytes[100] = 1;
        await File.WriteAllBytesAsync(bad, bytes);

        // When the plan runs
        var executor = Executor("cp-1");
        var target = await executor.DiscoverAsync("cp-1", node.ManifestsDir);
        var options = new EtcdRestoreOptions { SnapshotPath = bad, Now = DateTimeOffset.UnixEpoch, HealthTimeout = TimeSpan.FromSeconds(5), PollInterval = TimeSpan.FromMilliseconds(100) };
        var act = () => executor.ExecuteAsync(EtcdRestorePlanner.Plan([target], options), options);

        // Then it fails at the first step with the reason, and says nothing was changed
        var message = (await act.Should().ThrowAsync<DrydockException>()).Which.Error.Message;
        message.Should().Contain("step 1/10").And.Contain("sha256 mismatch").And.EndWith("Nothing was changed.");
        File.Exists(Path.Combine(node.ManifestsDir, "etcd.yaml")).Should().BeTrue();
    }

    [Fact]
    public async Task Should_restore_every_member_of_a_three_member_cluster()
    {
        // Given three control-plane nodes whose etcds form one cluster (kubeadm's stacked HA topology)
        var ports = new[] { FreePorts.Take(4), FreePorts.Take(4), FreePorts.Take(4) };
        var names = new[] { "cp-1", "cp-2", "cp-3" };
        var cluster = string.Join(',', names.Select((n, i) => $"{n}=http://127.0.0.1:{ports[i][1]}"));
        var nodes = names.Select((n, i) => FakeControlPlaneNode.Create(_dir[n], n, cluster, "new", ports[i])).ToList();
        var kubelets = nodes.Select(n => new FakeKubelet(n.ManifestsDir)).ToList();
        try
        {
            await Task.WhenAll(nodes.Select(n => WaitUpAsync(n.ClientUrl)));
            var endpoints = string.Join(',', nodes.Select(n => n.ClientUrl.ToString().TrimEnd('/')));
            await Etcdctl.OkAsync(null, null, $"--endpoints={endpoints}", "put", "/registry/ha/kept", "before");

            // And a snapshot from one member, then a later write
            var snapshot = _dir["ha.db"];
            await using (var client = new EtcdClient(new EtcdOptions { Endpoints = [nodes[1].ClientUrl] }, TimeProvider.System))
                await new SnapshotSaver(client, TimeProvider.System).SaveAsync(snapshot);
            IReadOnlyList<EtcdMember> members;
            await using (var client = new EtcdClient(new EtcdOptions { Endpoints = [nodes[0].ClientUrl] }, TimeProvider.System))
                members = await client.MemberListAsync();
            await Etcdctl.OkAsync(null, null, $"--endpoints={endpoints}", "put", "/registry/ha/later", "after");

            // When all three members are restored with the member list
            var executor = Executor(names);
            var targets = new List<RestoreTarget>();
            foreach (var n in nodes) targets.Add(await executor.DiscoverAsync(n.Name, n.ManifestsDir));
            var options = new EtcdRestoreOptions
            {
                SnapshotPath = snapshot,
                Now = new DateTimeOffset(2026, 11, 22, 1, 2, 3, TimeSpan.Zero),
                Members = members,
                ExpectedRevision = (await SnapshotStatusReader.ReadAsync(snapshot)).Revision,
                HealthTimeout = TimeSpan.FromSeconds(30),
                PollInterval = TimeSpan.FromMilliseconds(100),
            };
            var plan = EtcdRestorePlanner.Plan(targets, options);
            var apiserverProbes = plan.Steps.OfType<WaitForApiServerStep>().Count();
            plan = plan with
            {
                Steps = [.. plan.Steps.Select(s => s is WaitForApiServerStep a
                    ? a with { HealthUrl = $"http://127.0.0.1:{nodes.Single(n => n.Name == a.Node).ApiServerPort}/readyz" }
                    : s)],
            };
            await executor.ExecuteAsync(plan, options);

            // Then every member serves the snapshot's data as one cluster of three, and each manifest names all members
            apiserverProbes.Should().Be(3);
            foreach (var n in nodes)
            {
                var value = await Etcdctl.OkAsync(null, null, $"--endpoints={n.ClientUrl}", "get", "/registry/ha/", "--prefix", "--keys-only");
                value.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal("/registry/ha/kept");
                var manifest = await File.ReadAllTextAsync(Path.Combine(n.ManifestsDir, "etcd.yaml"));
                manifest.Should().Contain($"--initial-cluster={cluster}").And.Contain("--initial-cluster-state=new").And.Contain("-restored-20261122T010203Z");
            }
            await using var check = new EtcdClient(new EtcdOptions { Endpoints = [nodes[2].ClientUrl] }, TimeProvider.System);
            (await check.MemberListAsync()).Select(m => m.Name).Should().BeEquivalentTo(names);
        }
        finally
        {
            foreach (var k in kubelets) await k.DisposeAsync();
        }
    }

    [Fact]
    public async Task Should_restore_a_copy_of_member_snap_db_only_with_skip_hash_check()
    {
        // Given a copy of a stopped etcd's member/snap/db (no trailing sha256), holding keys
        var source = await EtcdProcess.StartAsync(new() { Name = "source", DataDir = _dir["source.etcd"] });
        for (var i = 0; i < 3; i++) await Etcdctl.OkAsync(source, null, "put", $"/registry/raw/k{i}", $"v{i}");
        await ProcessRunner.RunAsync("/bin/kill", ["-TERM", source.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]); // graceful: the backend commits
        for (var i = 0; i < 100 && !HasExited(source.Pid); i++) await Task.Delay(100);
        await source.DisposeAsync();
        var copy = _dir["db-copy"];
        File.Copy(Path.Combine(_dir["source.etcd"], "member", "snap", "db"), copy);
        (await SnapshotHash.VerifyAsync(copy)).Should().Be(SnapshotIntegrity.NoHash);
        var plainEtcdctl = await Etcdctl.RunAsync(null, null, "snapshot", "restore", copy, "--data-dir", _dir["plain-restore"]);
        plainEtcdctl.Stderr.Should().Contain("snapshot missing hash but --skip-hash-check=false", "etcdctl itself needs the flag for such a file");

        // And a control-plane node whose kubelet runs etcd
        var node = FakeControlPlaneNode.Create(_dir["cp-1"], "cp-1");
        await using var kubelet = new FakeKubelet(node.ManifestsDir);
        await WaitUpAsync(node.ClientUrl);
        var executor = Executor("cp-1");
        var target = await executor.DiscoverAsync("cp-1", node.ManifestsDir);
        EtcdRestoreOptions Options(bool skip) => new()
        {
            SnapshotPath = copy, SkipHashCheck = skip, Now = new DateTimeOffset(2026, 11, 22, 1, 2, 3, TimeSpan.Zero),
            ApiServerHealthUrl = $"http://127.0.0.1:{node.ApiServerPort}/readyz", HealthTimeout = TimeSpan.FromSeconds(30), PollInterval = TimeSpan.FromMilliseconds(100),
        };

        // When it is restored without --skip-hash-check, then with it
        var refused = () => executor.ExecuteAsync(EtcdRestorePlanner.Plan([target], Options(false)), Options(false));
        var message = (await refused.Should().ThrowAsync<DrydockException>()).Which.Error.Message;
        var plan = EtcdRestorePlanner.Plan([target], Options(true));
        await executor.ExecuteAsync(plan, Options(true));

        // Then the first stops before touching anything; the second has etcdctl restore with --skip-hash-check and etcd serves the keys
        message.Should().Contain("step 1/10").And.Contain("carries no sha256").And.EndWith("Nothing was changed.");
        plan.Steps[4].Render().Should().Contain("snapshot restore").And.EndWith("--skip-hash-check");
        var keys = await Etcdctl.OkAsync(null, null, $"--endpoints={node.ClientUrl}", "get", "/registry/raw/", "--prefix", "--keys-only");
        keys.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal("/registry/raw/k0", "/registry/raw/k1", "/registry/raw/k2");
    }

    private static bool HasExited(int pid)
    {
        try { using var p = System.Diagnostics.Process.GetProcessById(pid); return p.HasExited; }
        catch (ArgumentException) { return true; }
    }

    [Fact]
    public void Should_refuse_a_restore_that_leaves_out_a_member()
    {
        // Given a three-member cluster and a target for only one node
        var target = new RestoreTarget
        {
            Node = "cp-1", ManifestsDir = "/etc/kubernetes/manifests", ManifestText = "", RestoreTool = "/usr/bin/etcdutl",
            Manifest = new EtcdManifest { Name = "cp-1", DataDir = "/var/lib/etcd", DataHostPath = "/var/lib/etcd", InitialCluster = "cp-1=https://10.0.0.1:2380", InitialAdvertisePeerUrls = "https://10.0.0.1:2380" },
        };
        var members = new[] { "cp-1", "cp-2", "cp-3" }.Select(n => new EtcdMember { Name = n }).ToList();

        // When planning
        var act = () => EtcdRestorePlanner.Plan([target], new EtcdRestoreOptions { SnapshotPath = "/s.db", Now = DateTimeOffset.UnixEpoch, Members = members });

        // Then it names the members that would be left behind
        act.Should().Throw<DrydockException>().Which.Error.Message.Should()
            .Contain("etcd member cp-2 has no node in this restore").And.Contain("etcd member cp-3 has no node");
    }
}
