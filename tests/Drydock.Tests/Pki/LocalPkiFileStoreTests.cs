using System.Diagnostics;
using Drydock.Pki;

namespace Drydock.Tests.Pki;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class LocalPkiFileStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("drydock-store-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Stat(string path)
    {
        using var p = Process.Start(new ProcessStartInfo("stat", ["-c", "%u:%g %a", path]) { RedirectStandardOutput = true })!;
        var text = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return text;
    }

    [Fact]
    public async Task Should_replace_atomically_with_the_mode_and_keep_the_owner()
    {
        // Given a key file owned by another user (when we may give files away, i.e. as root, like kubeadm)
        var path = Path.Combine(_dir, "apiserver.key");
        await File.WriteAllTextAsync(path, "old");
        var owner = Environment.IsPrivilegedProcess ? "65534:65534" : Stat(path).Split(' ')[0];
        if (Environment.IsPrivilegedProcess) Process.Start("chown", ["65534:65534", path]).WaitForExit();
        var store = new LocalPkiFileStore();

        // When it is replaced and backed up
        await store.CopyAsync(path, path + ".bak");
        await store.WriteAtomicAsync(path, "new", UnixFileMode.UserRead | UnixFileMode.UserWrite);

        // Then new content, mode 0600, same owner, a backup with the old content and owner, no temp file left
        (await store.ReadTextAsync(path)).Should().Be("new");
        Stat(path).Should().Be($"{owner} 600");
        (await store.ReadTextAsync(path + ".bak")).Should().Be("old");
        Stat(path + ".bak").Should().StartWith(owner);
        Directory.GetFiles(_dir).Select(Path.GetFileName).Should().BeEquivalentTo("apiserver.key", "apiserver.key.bak");
        (await store.ReadTextAsync(Path.Combine(_dir, "nope.crt"))).Should().BeNull();
        (await store.ReadTextAsync(Path.Combine(_dir, "no-dir", "nope.crt"))).Should().BeNull();
    }
}
