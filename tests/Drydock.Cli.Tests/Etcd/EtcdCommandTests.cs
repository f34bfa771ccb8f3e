using Drydock.Cli.Infrastructure;
using Drydock.Common;
using Spectre.Console;

namespace Drydock.Cli.Tests.Etcd;

/// <summary><c>drydock etcd snapshot save|status|restore</c> against a real etcd and the real etcdctl.</summary>
public sealed class EtcdCommandTests(EtcdCliFixture etcd) : IClassFixture<EtcdCliFixture>
{
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 11, 22, 1, 0, 0, TimeSpan.Zero));

    private async Task<(int Code, string Out, string Err)> RunWithEnv(Dictionary<string, string>? env, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No,
        });
        var services = new CliServices
        {
            Out = console, Err = stderr, Time = _clock, GetEnv = k => env is not null && env.TryGetValue(k, out var v) ? v : null,
            KubeClientFactory = (_, _) => throw new InvalidOperationException("etcd commands do not use the Kubernetes API"),
        };
        var code = await CliApp.RunAsync(args, services);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private Task<(int Code, string Out, string Err)> Run(params string[] args) => RunWithEnv(null, args);

    private string Temp(string name) => Path.Combine(etcd.Dir, $"{Guid.NewGuid():N}-{name}");

    [Fact]
    public async Task Should_save_a_snapshot_whose_json_status_equals_etcdctls()
    {
        // Given a running etcd
        var path = Temp("snap.db");

        // When drydock saves a snapshot, then prints its status as JSON
        var save = await Run("etcd", "snapshot", "save", path, "--endpoints", etcd.Endpoint);
        var status = await Run("etcd", "snapshot", "status", path, "-o", "json");

        // Then save says where (etcdctl's words), and the JSON is byte for byte what etcdctl prints
        save.Code.Should().Be(0, save.Err);
        save.Out.Should().StartWith($"Snapshot saved at {path}\n");
        status.Code.Should().Be(0, status.Err);
        var expected = await etcd.EtcdctlAsync("snapshot", "status", path, "-w", "json");
        status.Out.Trim().Should().Be(expected.Trim());
    }

    [Fact]
    public async Task Should_print_a_status_table_like_etcdctl()
    {
        // Given a saved snapshot (endpoint from ETCDCTL_ENDPOINTS, as etcdctl reads it)
        var path = Temp("table.db");
        (await RunWithEnv(new() { ["ETCDCTL_ENDPOINTS"] = etcd.Endpoint }, "etcd", "snapshot", "save", path)).Code.Should().Be(0);

        // When printing its status as a table
        var (code, stdout, _) = await Run("etcd", "snapshot", "status", path);

        // Then the columns and the hex hash match etcdctl's table
        code.Should().Be(0);
        var etcdctl = await etcd.EtcdctlAsync("snapshot", "status", path, "-w", "table");
        var hash = etcdctl.Split('\n')[3].Split('|', StringSplitOptions.TrimEntries)[1];
        stdout.Should().Contain("HASH").And.Contain("REVISION").And.Contain("TOTAL KEYS").And.Contain("TOTAL SIZE").And.Contain(hash);
    }

    [Fact]
    public async Task Should_keep_only_the_newest_snapshots_in_a_backup_dir()
    {
        // Given a backup directory
        var dir = Temp("backups");
        Directory.CreateDirectory(dir);

        // When saving three times an hour apart with --keep 2
        for (var i = 0; i < 3; i++)
        {
            var r = await Run("etcd", "snapshot", "save", "--dir", dir, "--keep", "2", "--endpoints", etcd.Endpoint);
            r.Code.Should().Be(0, r.Err);
            _clock.Advance(TimeSpan.FromHours(1));
        }

        // Then the two newest remain, named by their UTC time
        Directory.GetFiles(dir).Select(Path.GetFileName).Should().BeEquivalentTo("etcd-snapshot-20261122T020000Z.db", "etcd-snapshot-20261122T030000Z.db");
    }

    public static TheoryData<string[], string> UsageCases => new()
    {
        { ["etcd", "snapshot", "save", "x.db", "--endpoints", "http://127.0.0.1:1,http://127.0.0.1:2"], "error: snapshot must be requested to one selected node, not multiple [http://127.0.0.1:1 http://127.0.0.1:2]" },
        { ["etcd", "snapshot", "save", "--endpoints", "http://127.0.0.1:1"], "error: give either FILE or --dir DIR" },
        { ["etcd", "snapshot", "save", "x.db", "--keep", "3", "--endpoints", "http://127.0.0.1:1"], "error: --keep and --keep-days need --dir (a backup directory)" },
        { ["etcd", "snapshot", "save", "x.db", "--endpoints", "ftp://127.0.0.1:1"], "error: invalid endpoint \"ftp://127.0.0.1:1\" (want http(s)://HOST:PORT)" },
        { ["etcd", "snapshot", "save", "x.db", "--endpoints", "http://127.0.0.1:1", "--command-timeout", "5"], "error: --command-timeout \"5\" is not a positive duration (e.g. 5s, 1m30s)" },
        { ["etcd", "snapshot", "save", "x.db", "--endpoints", "https://127.0.0.1:1", "--cacert", "/nonexistent/ca.crt"], "error: --cacert file /nonexistent/ca.crt not found" },
        { ["etcd", "snapshot", "status", "/nonexistent/snap.db"], "error: snapshot file /nonexistent/snap.db not found" },
    };

    [Theory]
    [MemberData(nameof(UsageCases))]
    public async Task Should_reject_bad_input_with_one_line_and_exit_2(string[] args, string line)
    {
        // Given/When a command with bad input runs
        var (code, stdout, stderr) = await Run(args);

        // Then exit 2, one error line, nothing on stdout
        code.Should().Be(2);
        stderr.Trim().Should().Be(line);
        stdout.Should().BeEmpty();
    }

    [Fact]
    public async Task Should_fail_with_one_line_and_exit_1_when_etcd_is_unreachable()
    {
        // Given an endpoint nobody listens on
        var port = EtcdCliFixture.FreePorts(1)[0];
        var path = Temp("dead.db");

        // When saving
        var (code, _, stderr) = await Run("etcd", "snapshot", "save", path, "--endpoints", $"http://127.0.0.1:{port}");

        // Then one line, exit 1, no file left behind
        code.Should().Be(1);
        stderr.Trim().Should().Be($"error: etcd at http://127.0.0.1:{port} is unreachable: connection refused (is etcd running? check --endpoints)");
        File.Exists(path).Should().BeFalse();
        File.Exists(path + ".part").Should().BeFalse();
    }

    [Theory]
    [InlineData("truncated", "integrity check failed: file is truncated")]
    [InlineData("flipped", "sha256 mismatch: the file was altered or damaged after it was saved")]
    public async Task Should_fail_status_with_one_line_for_a_damaged_file(string damage, string reason)
    {
        // Given a good snapshot, then damaged
        var path = Temp("damaged.db");
        (await Run("etcd", "snapshot", "save", path, "--endpoints", etcd.Endpoint)).Code.Should().Be(0);
        var bytes = await File.ReadAllBytesAsync(path);
        if (damage == "truncated") bytes = bytes[..(bytes.Length / 2)];
        else bytes[bytes.AsSpan().IndexOf("v7"u8) + 1] ^= 1;
        await File.WriteAllBytesAsync(path, bytes);

        // When reading its status
        var (code, stdout, stderr) = await Run("etcd", "snapshot", "status", path);

        // Then exit 1 and one line naming the file and the reason
        code.Should().Be(1);
        stderr.Trim().Should().StartWith($"error: snapshot {path}: ").And.Contain(reason).And.NotContain("\n");
        stdout.Should().BeEmpty();
    }

    [Fact]
    public async Task Should_print_every_restore_step_on_a_dry_run_and_change_nothing()
    {
        // Given a good snapshot and a control-plane node layout with kubeadm-shaped manifests
        var snapshot = Temp("restore.db");
        (await Run("etcd", "snapshot", "save", snapshot, "--endpoints", etcd.Endpoint)).Code.Should().Be(0);
        var root = Temp("node");
        var manifests = Path.Combine(root, "manifests");
        Directory.CreateDirectory(manifests);
        var etcdYaml = $"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: etcd
              namespace: kube-system
            spec:
              containers:
              - command:
                - etcd
                - --data-dir={root}/etcd-data
                - --initial-advertise-peer-urls=https://10.0.0.1:2380
                - --initial-cluster=cp-1=https://10.0.0.1:2380
                - --listen-client-urls=https://127.0.0.1:2379,https://10.0.0.1:2379
                - --name=cp-1
                name: etcd
                volumeMounts:
                - mountPath: {root}/etcd-data
                  name: etcd-data
              volumes:
              - hostPath:
                  path: {root}/etcd-data
                  type: DirectoryOrCreate
                name: etcd-data

            """;
        await File.WriteAllTextAsync(Path.Combine(manifests, "etcd.yaml"), etcdYaml);
        await File.WriteAllTextAsync(Path.Combine(manifests, "kube-apiserver.yaml"), "spec:\n  containers:\n  - command:\n    - kube-apiserver\n    - --secure-port=6443\n");

        // When restoring with --dry-run (etcd itself is down: the member list cannot be read)
        var dead = $"http://127.0.0.1:{EtcdCliFixture.FreePorts(1)[0]}";
        var (code, stdout, stderr) = await Run("etcd", "snapshot", "restore", snapshot, "--dry-run", "--manifests-dir", manifests, "--node", "cp-1", "--endpoints", dead);

        // Then every step is printed, with the restore command and the new data dir, and nothing changed
        code.Should().Be(0, stderr);
        stdout.Should().Contain("10 steps").And.Contain("snapshot restore").And.Contain($"--data-dir {root}/etcd-data-restored-20261122T010000Z")
            .And.Contain("mv ").And.Contain("https://127.0.0.1:6443/readyz").And.EndWith("Dry run: nothing was changed.\n");
        stderr.Trim().Should().StartWith("warning: cannot list etcd members").And.EndWith("using the manifest's --initial-cluster");
        Directory.GetFileSystemEntries(root, "*", SearchOption.AllDirectories).Should().HaveCount(3, "only the manifests dir and its two files exist");
        (await File.ReadAllTextAsync(Path.Combine(manifests, "etcd.yaml"))).Should().Be(etcdYaml);

        // And when the live cluster has a member this node is not (HA: every member must be restored), it refuses
        var mismatch = await Run("etcd", "snapshot", "restore", snapshot, "--dry-run", "--manifests-dir", manifests, "--node", "cp-1", "--endpoints", etcd.Endpoint);
        mismatch.Code.Should().Be(2);
        mismatch.Err.Trim().Should().Be("error: etcd member cli has no node in this restore: every member must be restored (pass all control-plane nodes); node's etcd member cp-1 is not in the cluster's member list");
    }
}
