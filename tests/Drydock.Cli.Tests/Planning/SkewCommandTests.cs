using System.Text.Json;

namespace Drydock.Cli.Tests.Planning;

public sealed class SkewCommandTests
{
    [Fact]
    public async Task Should_report_no_violation_for_the_fixture()
    {
        var (code, stdout, _) = await CliRunner.Run("skew", "--snapshot", CliRunner.Fixture);

        code.Should().Be(0);
        stdout.Should().Contain("kubelet                   v1.27.16   8 (cp-1, cp-2, cp-3, worker-1, …)")
              .And.EndWith("Every component pair is within the version skew policy.\n");
    }

    [Fact]
    public async Task Should_name_components_versions_and_rule_and_exit_1()
    {
        // Given the fixture with worker-5's kubelet left at v1.23.17 (four minors behind)
        var json = await File.ReadAllTextAsync(CliRunner.Fixture);
        var doc = JsonDocument.Parse(json);
        var file = Path.GetTempFileName();
        try
        {
            var marker = "\"kubeletVersion\": \"v1.27.16\"";
            var worker5 = json.IndexOf("\"name\": \"worker-5\"", StringComparison.Ordinal);
            var at = json.IndexOf(marker, worker5, StringComparison.Ordinal);
            at.Should().BePositive();
            await File.WriteAllTextAsync(file, json[..at] + "\"kubeletVersion\": \"v1.23.17\"" + json[(at + marker.Length)..]);

            // When `drydock skew --snapshot FILE`
            var (code, stdout, _) = await CliRunner.Run("skew", "--snapshot", file);

            // Then the violation names both components, versions and the policy sentence
            code.Should().Be(1);
            stdout.Should().Contain("kubelet                   v1.23.17   1 (worker-5)")
                  .And.Contain("2 version skew violation(s)")
                  .And.Contain("- kubelet v1.23.17 on worker-5 vs kube-apiserver v1.27.16 on cp-1: kubelet < 1.25 may only be up to two minor versions older than kube-apiserver")
                  .And.Contain("- kube-proxy v1.27.16 on worker-5 vs kubelet v1.23.17 on worker-5: kube-proxy may be up to three minor versions older or newer than the kubelet it runs alongside");
        }
        finally { File.Delete(file); doc.Dispose(); }
    }

    [Fact]
    public async Task Should_emit_json()
    {
        var (_, stdout, _) = await CliRunner.Run("skew", "--snapshot", CliRunner.Fixture, "-o", "json");

        using var doc = JsonDocument.Parse(stdout);
        doc.RootElement.GetProperty("violations").GetArrayLength().Should().Be(0);
        doc.RootElement.GetProperty("versions").EnumerateArray().Should().Contain(v => v.GetProperty("component").GetString() == "kube-apiserver" && v.GetProperty("count").GetInt32() == 3);
    }
}
