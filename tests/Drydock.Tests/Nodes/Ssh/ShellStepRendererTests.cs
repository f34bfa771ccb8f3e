using Drydock.Common;
using Drydock.Nodes;
using Drydock.Nodes.Shell;
using Drydock.Nodes.Ssh;

namespace Drydock.Tests.Nodes.Ssh;

/// <summary>The exact text of each step, per package manager, as the seed guides write it.</summary>
public sealed class ShellStepRendererTests
{
    public sealed class Render
    {
        public static TheoryData<string, NodeStep, PackageManager, string> Cases => new()
        {
            { "apt kubeadm", new InstallPackages(["kubeadm"], "1.28.4"), PackageManager.Apt,
                "apt-mark unhold kubeadm && apt-get update && apt-get install -y kubeadm='1.28.4-*' && apt-mark hold kubeadm" },
            { "apt kubelet+kubectl", new InstallPackages(["kubelet", "kubectl"], "1.28.4"), PackageManager.Apt,
                "apt-mark unhold kubelet kubectl && apt-get update && apt-get install -y kubelet='1.28.4-*' kubectl='1.28.4-*' && apt-mark hold kubelet kubectl" },
            { "yum kubeadm", new InstallPackages(["kubeadm"], "1.28.4"), PackageManager.Yum,
                "yum install -y kubeadm-'1.28.4-*' --disableexcludes=kubernetes" },
            { "yum kubelet+kubectl", new InstallPackages(["kubelet", "kubectl"], "1.28.4"), PackageManager.Yum,
                "yum install -y kubelet-'1.28.4-*' kubectl-'1.28.4-*' --disableexcludes=kubernetes" },
            { "apply", new KubeadmUpgradeApply("1.28.4"), PackageManager.Apt, "kubeadm upgrade apply -y v1.28.4" },
            { "apply without renewal", new KubeadmUpgradeApply("1.28.4", CertificateRenewal: false), PackageManager.Apt, "kubeadm upgrade apply -y v1.28.4 --certificate-renewal=false" },
            { "node", new KubeadmUpgradeNode(), PackageManager.Yum, "kubeadm upgrade node" },
            { "plan", new KubeadmUpgradePlan("1.28.4"), PackageManager.Apt, "kubeadm upgrade plan v1.28.4" },
            { "restart", new RestartKubelet(), PackageManager.Apt, "systemctl daemon-reload && systemctl restart kubelet" },
            { "reboot", new Reboot(), PackageManager.Yum, "systemctl reboot" },
            { "madison", new ListAvailableVersions("kubeadm"), PackageManager.Apt, "apt-cache madison kubeadm" },
            { "yum list", new ListAvailableVersions("kubeadm"), PackageManager.Yum, "yum list --showduplicates kubeadm --disableexcludes=kubernetes" },
            { "apt repo", new SwitchRepository("1.29"), PackageManager.Apt,
                "printf '%s\\n' 'deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v1.29/deb/ /' > /etc/apt/sources.list.d/kubernetes.list" },
            { "read", new ReadFile("/etc/kubernetes/pki/ca.crt"), PackageManager.Apt, "cat -- /etc/kubernetes/pki/ca.crt" },
            { "operator command", new RunCommand("apt-get -y upgrade"), PackageManager.Apt, "apt-get -y upgrade" },
        };

        [Theory]
        [MemberData(nameof(Cases))]
        public void Should_render_the_guides_command(string name, NodeStep step, PackageManager pm, string expected)
        {
            // Given/When a step is rendered / Then it is the guide's text
            new ShellStepRenderer().Render(step, pm).Script.Should().Be(expected, name);
        }

        [Fact]
        public void Should_render_the_yum_repo_file_for_the_minor()
        {
            var script = new ShellStepRenderer().Render(new SwitchRepository("1.29"), PackageManager.Yum).Script;
            script.Should().StartWith("printf '%s' '[kubernetes]\nname=Kubernetes\nbaseurl=https://pkgs.k8s.io/core:/stable:/v1.29/rpm/\n")
                .And.EndWith("' > /etc/yum.repos.d/kubernetes.repo");
        }
    }

    public sealed class Parsers
    {
        [Fact]
        public void Should_parse_node_facts_lines()
        {
            var facts = NodeFactsScript.Parse("w1", "pm=yum\ninstalled.kubeadm=1.28.4\ninstalled.kubelet=\ninstalled.kubectl=package kubectl is not installed\n" +
                "repo=baseurl=https://pkgs.k8s.io/core:/stable:/v1.28/rpm/\nbootid=abc\nswap=1\n");
            facts.PackageManager.Should().Be("yum");
            facts.Installed.Should().Equal(new Dictionary<string, string> { ["kubeadm"] = "1.28.4" });
            facts.RepositoryMinor.Should().Be("1.28");
            (facts.BootId, facts.SwapOn).Should().Be(("abc", true));
        }
    }

    public sealed class Inventory
    {
        [Fact]
        public void Should_merge_defaults_into_each_node_and_fall_back_to_the_node_name()
        {
            // Given an inventory with defaults and two nodes
            var inv = SshInventory.Parse("""
                defaults: { user: ubuntu, port: 2222, packageManager: apt }
                nodes:
                  cp-1: { host: 10.0.0.11 }
                  w-1: { host: 10.0.0.21, user: ec2-user, packageManager: yum, sudo: true }
                """, "inv.yaml");

            // When / Then
            inv.Resolve("cp-1", null).Should().BeEquivalentTo(new SshTarget { Node = "cp-1", Host = "10.0.0.11", User = "ubuntu", Port = 2222, PackageManager = PackageManager.Apt });
            inv.Resolve("w-1", null).Should().BeEquivalentTo(new SshTarget { Node = "w-1", Host = "10.0.0.21", User = "ec2-user", Port = 2222, PackageManager = PackageManager.Yum, Sudo = true });
            inv.Resolve("w-9", null).Host.Should().Be("w-9");
            inv.Resolve("cp-1", null).UsesSudo.Should().BeTrue("ubuntu is not root");
        }

        [Fact]
        public void Should_report_every_problem_in_one_usage_error()
        {
            var act = () => SshInventory.Parse("nodes:\n  a: { port: 70000 }\n  b: { packageManager: zypper }\n", "inv.yaml");
            act.Should().Throw<DrydockException>().Which.Error.Should().BeOfType<UsageError>().Which.Message.Should()
                .Contain("inv.yaml").And.Contain("node a: port 70000").And.Contain("node b: packageManager \"zypper\"");
        }

        [Fact]
        public void Should_name_the_line_of_malformed_yaml()
        {
            var act = () => SshInventory.Parse("nodes:\n  a: [unclosed\n", "inv.yaml");
            act.Should().Throw<DrydockException>().Which.Message.Should().StartWith("SSH inventory inv.yaml line");
        }
    }
}
