using Drydock.Common;
using Drydock.Kube.Config;
using Drydock.Tests.Kube.Infrastructure;

namespace Drydock.Tests.Kube.Config;

public sealed class KubeconfigLoaderTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string File(string current, string cluster, string server, string ctx, string? ns = null) => $"""
        current-context: {current}
        clusters:
        - name: {cluster}
          cluster: {"{"}server: {server}{"}"}
        users:
        - name: u-{cluster}
          user: {"{"}token: t{"}"}
        contexts:
        - name: {ctx}
          context: {"{"}cluster: {cluster}, user: u-{cluster}{(ns is null ? "" : ", namespace: " + ns)}{"}"}
        """;

    public static TheoryData<string, string?, string, string> MergeCases => new()
    {
        // name, --context, expected server, expected namespace
        { "current-context from the first file that sets one", null, "https://first", "default" },
        { "a context only the second file defines", "b-ctx", "https://second-b", "team-b" },
        { "first file wins for a cluster defined in both", "shared-ctx", "https://first", "default" },
    };

    [Theory]
    [MemberData(nameof(MergeCases))]
    public void Should_merge_KUBECONFIG_files_with_kubectls_rules(string name, string? context, string server, string ns)
    {
        // Given two kubeconfigs in $KUBECONFIG (and a missing third, which kubectl skips); both define cluster "c"
        _ = name;
        var a = _dir.Write("a.yaml", File("a-ctx", "c", "https://first", "a-ctx") + "\n- name: shared-ctx\n  context: {cluster: c, user: u-c}\n");
        var b = _dir.Write("b.yaml", """
            current-context: b-ctx
            clusters:
            - name: c
              cluster: {server: 'https://second'}
            - name: b
              cluster: {server: 'https://second-b'}
            contexts:
            - name: b-ctx
              context: {cluster: b, namespace: team-b}
            - name: shared-ctx
              context: {cluster: b}
            """);
        var env = new Dictionary<string, string?> { ["KUBECONFIG"] = $"{a}:{_dir.Path}/missing.yaml:{b}" };

        // When loading with the given --context
        var connection = KubeConnectionLoader.Load(null, context, k => env.GetValueOrDefault(k), TimeProvider.System);

        // Then the merged view picks the expected cluster and namespace
        connection.Server.Should().Be(new Uri(server));
        connection.Namespace.Should().Be(ns);
    }

    [Fact]
    public void Should_prefer_kubeconfig_flag_over_KUBECONFIG_and_use_HOME_as_a_fallback()
    {
        // Given $KUBECONFIG, a --kubeconfig file and a ~/.kube/config, each pointing elsewhere
        var flag = _dir.Write("flag.yaml", File("x", "c", "https://flag", "x"));
        var envFile = _dir.Write("env.yaml", File("x", "c", "https://env", "x"));
        _dir.Write("home/.kube/config", File("x", "c", "https://home", "x"));
        var env = new Dictionary<string, string?> { ["KUBECONFIG"] = envFile, ["HOME"] = Path.Combine(_dir.Path, "home") };
        var homeOnly = new Dictionary<string, string?> { ["HOME"] = Path.Combine(_dir.Path, "home") };

        // When / Then: the flag wins, then $KUBECONFIG, then ~/.kube/config
        KubeConnectionLoader.Load(flag, null, k => env.GetValueOrDefault(k), TimeProvider.System).Server.Host.Should().Be("flag");
        KubeConnectionLoader.Load(null, null, k => env.GetValueOrDefault(k), TimeProvider.System).Server.Host.Should().Be("env");
        KubeConnectionLoader.Load(null, null, k => homeOnly.GetValueOrDefault(k), TimeProvider.System).Server.Host.Should().Be("home");
    }

    public static TheoryData<string, string, string?, string> BrokenCases => new()
    {
        // case, kubeconfig text (null file = missing), --context, expected message (with {dir} for the folder)
        { "missing file", "<none>", null, "kubeconfig {dir}/config does not exist; pass an existing file with --kubeconfig" },
        { "bad YAML", "clusters: [\n  - name: a\n    oops: : :", null, "kubeconfig {dir}/config is not valid YAML (line 2: " },
        { "not a mapping", "- just\n- a list", null, "kubeconfig {dir}/config is not a kubeconfig" },
        { "no current context", "contexts:\n- name: a\n  context: {cluster: c}\n", null,
            "kubeconfig {dir}/config has no current-context; pass --context NAME (available: a)" },
        { "unknown context", "current-context: a\ncontexts:\n- name: a\n  context: {cluster: c}\n", "zzz",
            "context \"zzz\" is not in kubeconfig {dir}/config; pass --context with an existing one (available: a)" },
        { "context names a missing cluster", "current-context: a\ncontexts:\n- name: a\n  context: {cluster: gone}\n", null,
            "context \"a\" in kubeconfig {dir}/config names cluster \"gone\", which is not defined; add it under clusters: or pick another --context" },
        { "context names a missing user", "current-context: a\nclusters:\n- name: c\n  cluster: {server: 'https://x'}\ncontexts:\n- name: a\n  context: {cluster: c, user: nobody}\n", null,
            "context \"a\" in kubeconfig {dir}/config names user \"nobody\", which is not defined; add it under users: or pick another --context" },
        { "unreadable CA file", "current-context: a\nclusters:\n- name: c\n  cluster: {server: 'https://x', certificate-authority: nope/ca.crt}\ncontexts:\n- name: a\n  context: {cluster: c}\n", null,
            "cluster \"c\" (kubeconfig {dir}/config): cannot read certificate-authority {dir}/nope/ca.crt (" },
        { "unreadable client cert", "current-context: a\nclusters:\n- name: c\n  cluster: {server: 'https://x'}\nusers:\n- name: u\n  user: {client-certificate: u.crt, client-key: u.key}\ncontexts:\n- name: a\n  context: {cluster: c, user: u}\n", null,
            "user \"u\" (kubeconfig {dir}/config): cannot read client-certificate {dir}/u.crt (" },
        { "CA data not base64", "current-context: a\nclusters:\n- name: c\n  cluster: {server: 'https://x', certificate-authority-data: '%%%'}\ncontexts:\n- name: a\n  context: {cluster: c}\n", null,
            "cluster \"c\" (kubeconfig {dir}/config) has certificate-authority-data that is not base64; re-encode it with base64 -w0" },
        { "server not a URL", "current-context: a\nclusters:\n- name: c\n  cluster: {server: 'localhost'}\ncontexts:\n- name: a\n  context: {cluster: c}\n", null,
            "cluster \"c\" (kubeconfig {dir}/config) has server \"localhost\", which is not an http(s) URL; fix its server: field" },
        { "missing token file", "current-context: a\nclusters:\n- name: c\n  cluster: {server: 'https://x'}\nusers:\n- name: u\n  user: {tokenFile: tok}\ncontexts:\n- name: a\n  context: {cluster: c, user: u}\n", null,
            "user \"u\" (kubeconfig {dir}/config) has tokenFile {dir}/tok, which does not exist; fix the path" },
    };

    [Theory]
    [MemberData(nameof(BrokenCases))]
    public void Should_report_a_broken_kubeconfig_as_one_usage_line(string name, string yaml, string? context, string expected)
    {
        // Given a broken kubeconfig
        _ = name;
        var path = Path.Combine(_dir.Path, "config");
        if (yaml != "<none>") _dir.Write("config", yaml);

        // When loading it
        var act = () => KubeConnectionLoader.Load(path, context, _ => null, TimeProvider.System);

        // Then one UsageError line (exit 2) names the file and what to do
        var error = act.Should().Throw<DrydockException>().Which.Error;
        error.Should().BeOfType<UsageError>();
        error.Message.Should().StartWith(expected.Replace("{dir}", _dir.Path)).And.NotContain("\n");
    }

    [Fact]
    public void Should_explain_when_no_kubeconfig_exists_anywhere()
    {
        // Given no flag, no $KUBECONFIG, an empty HOME and no in-cluster environment
        var act = () => KubeConnectionLoader.Load(null, null, k => k == "HOME" ? _dir.Path : null, TimeProvider.System);

        // Then the message says where it looked and what to do
        act.Should().Throw<DrydockException>().Which.Error.Message.Should()
            .Be("no kubeconfig found: ~/.kube/config does not exist and $KUBECONFIG is not set; pass --kubeconfig FILE or set KUBECONFIG");
    }
}
