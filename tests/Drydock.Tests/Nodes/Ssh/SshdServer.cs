using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Drydock.Tests.Nodes.Ssh;

/// <summary>
/// A real OpenSSH server on 127.0.0.1 with generated keys, for the transport's end-to-end tests. Remote sessions get
/// a PATH whose first entry is a shim directory: apt-get, apt-mark, apt-cache, yum, kubeadm, systemctl, dpkg-query,
/// rpm and sudo there only append their command line to <see cref="CommandLog"/> (and print canned output), so a
/// test sees exactly what a node would have run.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SshdServer : IAsyncDisposable
{
    public const string Shimmed = "apt-get apt-mark apt-cache yum kubeadm systemctl dpkg-query rpm sudo";

    public string Dir { get; }
    public int Port { get; }
    public string ClientKey => Path.Combine(Dir, "client_key");
    public string KnownHosts => Path.Combine(Dir, "known_hosts");
    public string CommandLog => Path.Combine(Dir, "commands.log");
    /// <summary>Write a command line here and the shim fails it (exit 100 with apt's error text).</summary>
    public string FailOn => Path.Combine(Dir, "fail-on");
    public string Etc => Path.Combine(Dir, "etc");

    private SshdServer(string dir, int port) { Dir = dir; Port = port; }

    public static async Task<SshdServer> StartAsync()
    {
        if (!File.Exists("/usr/sbin/sshd")) throw new InvalidOperationException("openssh-server is not installed (scripts/test.sh installs it)");
        var dir = Directory.CreateTempSubdirectory("dd-sshd-").FullName;
        var server = new SshdServer(dir, Drydock.Tests.Etcd.Support.FreePorts.Take(1)[0]);
        await Run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", Path.Combine(dir, "host_key"));
        await Run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", server.ClientKey);
        File.Copy(server.ClientKey + ".pub", Path.Combine(dir, "authorized_keys"));
        var hostPub = File.ReadAllText(Path.Combine(dir, "host_key.pub")).Split(' ');
        File.WriteAllText(server.KnownHosts, $"[127.0.0.1]:{server.Port} {hostPub[0]} {hostPub[1]}\n");
        server.WriteShims();
        Directory.CreateDirectory(Path.Combine(server.Etc, "apt"));
        Directory.CreateDirectory(Path.Combine(server.Etc, "yum"));
        var config = Path.Combine(dir, "sshd_config");
        File.WriteAllText(config, $"""
            Port {server.Port}
            ListenAddress 127.0.0.1
            HostKey {dir}/host_key
            AuthorizedKeysFile {dir}/authorized_keys
            PidFile {dir}/sshd.pid
            StrictModes no
            UsePAM no
            PermitRootLogin yes
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            SetEnv PATH={dir}/shims:/usr/bin:/bin DRYDOCK_SHIM_DIR={dir}

            """);
        Directory.CreateDirectory("/run/sshd");
        await Run("/usr/sbin/sshd", "-f", config);
        await server.WaitListeningAsync();
        return server;
    }

    /// <summary>The recorded command lines since the last call, and clears them.</summary>
    public IReadOnlyList<string> TakeCommands()
    {
        if (!File.Exists(CommandLog)) return [];
        var lines = File.ReadAllLines(CommandLog);
        File.Delete(CommandLog);
        return lines;
    }

    private void WriteShims()
    {
        var shims = Directory.CreateDirectory(Path.Combine(Dir, "shims")).FullName;
        var script = """
            #!/bin/sh
            name=$(basename "$0")
            line="$name $*"
            printf '%s\n' "$line" >> "$DRYDOCK_SHIM_DIR/commands.log"
            if [ -f "$DRYDOCK_SHIM_DIR/fail-on" ] && [ "$line" = "$(cat "$DRYDOCK_SHIM_DIR/fail-on")" ]; then
              echo "E: Version '1.28.4-*' for 'kubeadm' was not found" >&2; exit 100
            fi
            case "$line" in
              "sudo -n "*) shift; exec "$@" ;;
              "apt-cache madison kubeadm") printf '   kubeadm | 1.28.4-1.1 | https://pkgs.k8s.io/core:/stable:/v1.28/deb  Packages\n   kubeadm | 1.28.3-1.1 | https://pkgs.k8s.io/core:/stable:/v1.28/deb  Packages\n   kubeadm | 1.28.10-1.1 | https://pkgs.k8s.io/core:/stable:/v1.28/deb  Packages\n' ;;
              "yum list --showduplicates kubeadm --disableexcludes=kubernetes") printf 'Available Packages\nkubeadm.x86_64    1.28.3-150500.1.1    kubernetes\nkubeadm.x86_64    1.28.4-150500.1.1    kubernetes\n' ;;
              "kubeadm version -o short") echo v1.28.4 ;;
              "dpkg-query -W -f=\${Version} kubeadm") printf '1.27.6-1.1' ;;
              "dpkg-query -W -f=\${Version} kubelet") printf '1.27.6-1.1' ;;
              "dpkg-query "*) exit 1 ;;
              "apt-mark showhold") printf 'kubeadm\nkubelet\nkubectl\n' ;;
              "kubeadm upgrade apply"*) echo '[upgrade/successful] SUCCESS! Your cluster was upgraded to "v1.28.4". Enjoy!' ;;
            esac
            exit 0
            """.Replace("\r", "", StringComparison.Ordinal);
        var shim = Path.Combine(shims, "shim");
        File.WriteAllText(shim, script + "\n");
        File.SetUnixFileMode(shim, (UnixFileMode)0b111_101_101);
        foreach (var name in Shimmed.Split(' '))
            File.CreateSymbolicLink(Path.Combine(shims, name), shim);
    }

    private async Task WaitListeningAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            try
            {
                using var c = new TcpClient();
                await c.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) { await Task.Delay(50); }
        }
        throw new TimeoutException($"sshd did not listen on 127.0.0.1:{Port}");
    }


    private static async Task Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token);
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {p.ExitCode}: {err}");
    }

    public async ValueTask DisposeAsync()
    {
        var pidFile = Path.Combine(Dir, "sshd.pid");
        if (File.Exists(pidFile) && int.TryParse((await File.ReadAllTextAsync(pidFile)).Trim(), out var pid))
        {
            try { using var p = Process.GetProcessById(pid); p.Kill(); await p.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token); }
            catch (ArgumentException) { }
        }
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}
