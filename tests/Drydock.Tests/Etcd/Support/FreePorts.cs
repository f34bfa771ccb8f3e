using System.Net;
using System.Net.Sockets;

namespace Drydock.Tests.Etcd.Support;

/// <summary>
/// Loopback ports for servers a test starts as separate processes (etcd, sshd), which bind them only later. Taken
/// below the kernel's ephemeral range (Linux: 32768-60999), where nothing else is handed out: a port from port 0
/// would be free again the moment we close it, and any socket in any process — a parallel test's server on port 0,
/// an outgoing connection — may get it before the child binds. Each test process walks its own stretch (by pid),
/// and a port is only returned after binding it succeeded.
/// </summary>
internal static class FreePorts
{
    private const int First = 20000, Last = 32700;
    private static int _next = First + Environment.ProcessId * 97 % (Last - First);
    private static readonly object Gate = new();

    public static int[] Take(int count)
    {
        var ports = new int[count];
        lock (Gate)
            for (var i = 0; i < count; i++) ports[i] = NextFree();
        return ports;
    }

    private static int NextFree()
    {
        for (var attempt = 0; attempt < Last - First; attempt++)
        {
            var port = _next;
            _next = _next + 1 >= Last ? First : _next + 1;
            if (CanBind(port)) return port;
        }
        throw new InvalidOperationException($"no free loopback port in {First}-{Last}");
    }

    private static bool CanBind(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try { listener.Start(); return true; }
        catch (SocketException) { return false; }
        finally { listener.Stop(); }
    }
}
