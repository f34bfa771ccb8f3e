namespace Drydock.Tests.Etcd.Support;

/// <summary>The real etcdctl, pointed at one test etcd.</summary>
internal static class Etcdctl
{
    public static async Task<ProcessRunner.Result> RunAsync(EtcdProcess? server, TestPki? pki, params string[] args)
    {
        var all = new List<string>();
        if (server is not null) all.Add($"--endpoints={server.ClientUrl.ToString().TrimEnd('/')}");
        if (pki is not null) all.AddRange([$"--cacert={pki.CaCert}", $"--cert={pki.ClientCert}", $"--key={pki.ClientKey}"]);
        all.AddRange(args);
        return await ProcessRunner.RunAsync(ProcessRunner.Require("etcdctl"), all);
    }

    public static async Task<string> OkAsync(EtcdProcess? server, TestPki? pki, params string[] args)
    {
        var r = await RunAsync(server, pki, args);
        if (r.ExitCode != 0) throw new InvalidOperationException($"etcdctl {string.Join(' ', args)} failed ({r.ExitCode}): {r.Stderr}");
        return r.Stdout;
    }
}
