using System.Net;
using System.Net.Sockets;

namespace Drydock.Tests.Etcd.Support;

internal static class FreePorts
{
    /// <summary>Ports the OS hands out now; held open together so one call never returns the same port twice.</summary>
    public static int[] Take(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally { listeners.ForEach(l => l.Stop()); }
    }
}
