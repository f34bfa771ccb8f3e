using Drydock.Common;
using Drydock.Kube;
using Drydock.Kube.Models;
using Drydock.Nodes;
using Drydock.Pki;
using Drydock.Tests.Support;

namespace Drydock.Tests.Pki;

public class StaticPodRestarterTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("drydock-restart-").FullName;
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly TimedAgent _agent;

    public StaticPodRestarterTests()
    {
        Directory.CreateDirectory(_root + "/etc/kubernetes/manifests");
        foreach (var pod in KubeadmCertificates.StaticPodOrder)
            File.WriteAllText($"{_root}/etc/kubernetes/manifests/{pod}.yaml", $"apiVersion: v1\nkind: Pod\nmetadata:\n  name: {pod}\n");
        _agent = new TimedAgent(new TempDirNodeAgent("cp-1", _root), _time);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private StaticPodRestarter Restarter(FakeKubelet kubelet) =>
        new(_agent, kubelet, _time, new StaticPodRestartOptions { NodeName = "cp-1" });

    /// <summary>
    /// Runs the restarter (started here, on a single-thread pump) in virtual time: the clock moves only when nothing is
    /// runnable, straight to the next due timer — never past a wait the restarter has not reacted to yet.
    /// </summary>
    private Task<T> Drive<T>(Func<Task<T>> operation) =>
        PumpedVirtualTime.RunAsync(_time, operation, TimeSpan.FromHours(1), "the restarter (and fakes)");

    [Fact]
    public async Task Should_move_each_manifest_out_and_back_in_order_and_wait_for_ready()
    {
        // Given a kubelet that brings a static pod back (new UID) and Ready three polls after its manifest returns
        var kubelet = new FakeKubelet(_agent, readyAfterPolls: 3);

        // When the scheduler and apiserver are restarted
        var outcomes = await Drive(() => Restarter(kubelet).RestartAsync(["kube-scheduler", "kube-apiserver"]));

        // Then apiserver first, then scheduler, both Ready; each manifest was out for the kubelet's 20 s and is back
        outcomes.Select(o => (o.Pod, o.Ready)).Should().Equal(("kube-apiserver", true), ("kube-scheduler", true));
        outcomes[0].Message.Should().Be("kube-apiserver-cp-1 is Ready");
        var moves = _agent.Log.Where(l => l.Step is RunCommand).ToList();
        moves.Should().HaveCount(4);
        moves[0].Step.Should().BeOfType<RunCommand>().Which.Command.Should().Contain("mv -- '/etc/kubernetes/manifests/kube-apiserver.yaml'");
        (moves[1].At - moves[0].At).Should().Be(TimeSpan.FromSeconds(20));
        File.Exists(_root + "/etc/kubernetes/manifests/kube-apiserver.yaml").Should().BeTrue();
        File.Exists(_root + "/etc/kubernetes/manifests/kube-scheduler.yaml").Should().BeTrue();
        Directory.GetFiles(_root + "/etc/kubernetes/tmp").Should().BeEmpty();
    }

    [Fact]
    public async Task Should_stop_at_a_pod_that_does_not_become_ready_within_the_timeout()
    {
        // Given a kubelet whose apiserver never gets Ready
        var kubelet = new FakeKubelet(_agent, readyAfterPolls: int.MaxValue);
        var start = _time.GetUtcNow();

        // When apiserver and controller-manager are restarted
        var outcomes = await Drive(() => Restarter(kubelet).RestartAsync(["kube-apiserver", "kube-controller-manager"]));

        // Then it gives up after 5 virtual minutes, names the pod, and does not touch the controller-manager
        outcomes.Should().ContainSingle();
        outcomes[0].Ready.Should().BeFalse();
        outcomes[0].Message.Should().Contain("kube-apiserver-cp-1 did not become Ready within 5m (not Ready yet)");
        (_time.GetUtcNow() - start).Should().BeGreaterThanOrEqualTo(TimeSpan.FromMinutes(5)).And.BeLessThan(TimeSpan.FromMinutes(6));
        _agent.Log.Select(l => l.Step).OfType<RunCommand>().Should().NotContain(c => c.Command.Contains("kube-controller-manager"));
        File.Exists(_root + "/etc/kubernetes/manifests/kube-apiserver.yaml").Should().BeTrue();
    }

    [Fact]
    public async Task Should_report_a_manifest_that_cannot_be_moved()
    {
        // Given no etcd manifest on the node
        File.Delete(_root + "/etc/kubernetes/manifests/etcd.yaml");

        // When etcd is restarted / Then a clear failure, and nothing waited
        var outcomes = await Drive(() => Restarter(new FakeKubelet(_agent, 0)).RestartAsync(["etcd"]));
        outcomes.Single().Ready.Should().BeFalse();
        outcomes.Single().Message.Should().StartWith("cannot move /etc/kubernetes/manifests/etcd.yaml out on cp-1");
    }

    /// <summary>
    /// Logs each step with the virtual time it ran at. The inner agent runs a real bash process: it completes off the
    /// pump before the restarter's await returns (the pump cannot see a child process in flight).
    /// </summary>
    internal sealed class TimedAgent(INodeAgent inner, TimeProvider time) : INodeAgent
    {
        public List<(DateTimeOffset At, NodeStep Step)> Log { get; } = [];
        public string NodeName => inner.NodeName;
        public Task<NodeStepResult> RunAsync(NodeStep step, CancellationToken ct = default)
        {
            lock (Log) Log.Add((time.GetUtcNow(), step));
            return PumpedVirtualTime.CompleteOffPump(() => inner.RunAsync(step, ct));
        }
    }

    /// <summary>
    /// The kubelet + apiserver as the restarter sees them: a mirror pod per static pod, which gets a new UID once
    /// its manifest has come back (observed from the move-back steps) and turns Ready after some polls.
    /// </summary>
    internal sealed class FakeKubelet(TimedAgent agent, int readyAfterPolls) : IKubeClient
    {
        private readonly Dictionary<string, int> _polls = new();

        public Uri Server { get; } = new("https://127.0.0.1:6443");

        public Task<T> GetAsync<T>(ResourceKind kind, string? ns, string name, CancellationToken ct = default) where T : class
        {
            var pod = name[..name.LastIndexOf("-cp-1", StringComparison.Ordinal)];
            int restarts;
            lock (agent.Log)
                restarts = agent.Log.Select(l => l.Step).OfType<RunCommand>()
                    .Count(c => c.Command.StartsWith("mv -- ", StringComparison.Ordinal) && c.Command.EndsWith($"/manifests/{pod}.yaml'", StringComparison.Ordinal));
            var key = $"{name}#{restarts}";
            var polls = _polls[key] = _polls.GetValueOrDefault(key) + 1;
            var ready = restarts == 0 || polls > readyAfterPolls;
            object result = new Pod
            {
                Metadata = new ObjectMeta { Name = name, Namespace = ns, Uid = $"{pod}-uid-{restarts}" },
                Status = new PodStatus { Conditions = [new PodCondition { Type = "Ready", Status = ready ? "True" : "False" }] },
            };
            return Task.FromResult((T)result);
        }

        public Task<VersionInfo> GetVersionAsync(CancellationToken ct = default) => throw new NotSupportedException();
        public Task<ApiResourceList> GetApiResourcesAsync(string groupVersion, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<KubeList<T>> ListAsync<T>(ResourceKind kind, ListOptions options, CancellationToken ct = default) where T : class => throw new NotSupportedException();
        public IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(ResourceKind kind, ListOptions options, CancellationToken ct = default) where T : class => throw new NotSupportedException();
        public Task<T> CreateAsync<T>(ResourceKind kind, string? ns, T obj, DryRun dryRun = DryRun.None, CancellationToken ct = default) where T : class => throw new NotSupportedException();
        public Task<T> PatchAsync<T>(ResourceKind kind, string? ns, string name, PatchType patchType, string patch, DryRun dryRun = DryRun.None, CancellationToken ct = default) where T : class => throw new NotSupportedException();
        public Task DeleteAsync(ResourceKind kind, string? ns, string name, DeleteOptions? options = null, DryRun dryRun = DryRun.None, CancellationToken ct = default) => throw new NotSupportedException();
        public Task EvictAsync(string ns, string name, DeleteOptions? options = null, DryRun dryRun = DryRun.None, CancellationToken ct = default) => throw new NotSupportedException();
    }
}
