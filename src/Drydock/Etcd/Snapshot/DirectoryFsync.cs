using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Drydock.Etcd.Snapshot;

/// <summary>
/// fsync of a directory, so a rename in it survives a crash (Linux persists the new directory entry only when the
/// directory itself is synced; fsync of the file covers its data, not its name). .NET cannot open a directory as a
/// file, hence open(2) read-only + fsync(2) from libc. A no-op on Windows, where NTFS journals the rename.
/// </summary>
internal static class DirectoryFsync
{
    private const int ReadOnly = 0; // O_RDONLY: enough to open a directory and fsync it

    public static void Sync(string directory)
    {
        if (OperatingSystem.IsWindows()) return;
        var fd = Open(directory, ReadOnly);
        if (fd < 0) throw new IOException($"cannot open directory {directory} to fsync it: {new Win32Exception(Marshal.GetLastPInvokeError()).Message}");
        try
        {
            if (Fsync(fd) != 0) throw new IOException($"fsync of directory {directory} failed: {new Win32Exception(Marshal.GetLastPInvokeError()).Message}");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int Open(string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
