using System.Diagnostics;
using Drydock.Common;

namespace Drydock.Pki;

/// <summary>PKI files on this machine (drydock run on a control-plane node, as kubeadm is).</summary>
public sealed class LocalPkiFileStore : IPkiFileStore
{
    public string Location => "local";

    public async Task<string?> ReadTextAsync(string path, CancellationToken ct = default)
    {
        try { return await File.ReadAllTextAsync(path, ct); }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
        catch (UnauthorizedAccessException)
        {
            throw new DrydockException(new OperationError($"cannot read {path}: permission denied (run as root on the control-plane node, as kubeadm is)"));
        }
    }

    public Task<bool> ExistsAsync(string path, CancellationToken ct = default) => Task.FromResult(File.Exists(path));

    public async Task WriteAtomicAsync(string path, string content, UnixFileMode mode, CancellationToken ct = default)
    {
        var dir = Path.GetDirectoryName(path) ?? ".";
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, "." + Path.GetFileName(path) + ".drydock-tmp");
        // Create with the final mode so a key is never readable by others, not even for a moment.
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("PKI files are written on Linux nodes only");
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = mode };
        await using (var stream = new FileStream(temp, options))
        await using (var writer = new StreamWriter(stream))
        {
            await writer.WriteAsync(content.AsMemory(), ct);
            await writer.FlushAsync(ct);
            stream.Flush(flushToDisk: true);
        }
        File.SetUnixFileMode(temp, mode); // FileMode.Create keeps an existing temp's mode; be sure.
        if (File.Exists(path)) await CopyOwnerAsync(path, temp, ct);
        File.Move(temp, path, overwrite: true);
    }

    public async Task CopyAsync(string from, string to, CancellationToken ct = default)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("PKI files are written on Linux nodes only");
        File.Copy(from, to, overwrite: false);
        File.SetUnixFileMode(to, File.GetUnixFileMode(from));
        await CopyOwnerAsync(from, to, ct);
    }

    // .NET has no chown; only root can give a file away, and only then can the owner differ from ours.
    private static async Task CopyOwnerAsync(string reference, string target, CancellationToken ct)
    {
        if (!Environment.IsPrivilegedProcess) return;
        var psi = new ProcessStartInfo("chown") { RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("--reference=" + reference);
        psi.ArgumentList.Add("--");
        psi.ArgumentList.Add(target);
        using var process = Process.Start(psi) ?? throw new IOException("cannot start chown");
        var err = await process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0) throw new IOException($"chown --reference={reference} {target} failed: {err.Trim()}");
    }
}
