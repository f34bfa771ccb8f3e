using System.Runtime.CompilerServices;

namespace Drydock.Tests.Planning;

/// <summary>
/// Approved-file snapshots (Verify is not in the registry here): compares text with Approved/NAME.approved.txt next
/// to the calling test. On a difference it writes NAME.received.txt and fails; DRYDOCK_APPROVE=1 accepts it instead.
/// </summary>
internal static class ApprovedFile
{
    public static void Verify(string actual, string name, [CallerFilePath] string caller = "")
    {
        var dir = Path.Combine(Path.GetDirectoryName(caller)!, "Approved");
        var approved = Path.Combine(dir, name + ".approved.txt");
        var received = Path.Combine(dir, name + ".received.txt");
        actual = actual.Replace("\r\n", "\n");
        if (Environment.GetEnvironmentVariable("DRYDOCK_APPROVE") == "1")
        {
            Directory.CreateDirectory(dir);
            File.WriteAllText(approved, actual);
            if (File.Exists(received)) File.Delete(received);
            return;
        }
        var expected = File.Exists(approved) ? File.ReadAllText(approved).Replace("\r\n", "\n") : null;
        if (expected == actual)
        {
            if (File.Exists(received)) File.Delete(received);
            return;
        }
        Directory.CreateDirectory(dir);
        File.WriteAllText(received, actual);
        actual.Should().Be(expected, $"output must match {approved} (see {received}; set DRYDOCK_APPROVE=1 to accept)");
    }

    /// <summary>A file next to the calling test (fixtures live in the source tree).</summary>
    public static string Beside(string relative, [CallerFilePath] string caller = "") =>
        Path.Combine(Path.GetDirectoryName(caller)!, relative);
}
