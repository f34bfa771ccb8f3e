using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using Drydock.Etcd;
using Drydock.Etcd.Snapshot;

namespace Drydock.Bench;

/// <summary>
/// Snapshot of an etcd holding many keys: Drydock's verified save vs `etcdctl snapshot save`, wall time and peak RSS.
/// Each save runs in its own process (Drydock's in a child of this bench running only SnapshotSaver), and peak memory
/// is that process's VmHWM from /proc. Usage: etcd-snapshot [--size-mb 200] [--value-bytes 2000] [--runs 3] [--data-dir DIR]
/// (--size-mb 1024 for the issue's ~1 GiB; --data-dir keeps the loaded etcd for the next invocation).
/// Needs etcd and etcdctl on PATH. Not part of CI.
/// </summary>
internal sealed class EtcdSnapshotBench : IBenchmark
{
    public string Name => "etcd-snapshot";
    public string Description => "Drydock's verified snapshot save vs etcdctl: wall time and peak RSS (needs etcd)";

    public async Task<int> RunAsync(string[] args)
    {
        if (args.Length >= 3 && args[0] == "--child-save") return await ChildSaveAsync(args[1], args[2]);
        var sizeMb = Arg(args, "--size-mb", 200);
        var valueBytes = Arg(args, "--value-bytes", 2000);
        var runs = Arg(args, "--runs", 3);
        // --data-dir keeps the loaded etcd between invocations (loading 1 GiB takes about a minute); default: a temp dir.
        var keepDir = StringArg(args, "--data-dir");
        var dir = keepDir is null ? Directory.CreateTempSubdirectory("drydock-etcd-bench-").FullName : Directory.CreateDirectory(keepDir).FullName;
        Process? etcd = null;
        try
        {
            (etcd, var endpoint) = await StartEtcdAsync(dir);
            var target = (long)sizeMb * 1_000_000;
            long dbSize;
            string version;
            await using (var client = new EtcdClient(new EtcdOptions { Endpoints = [new Uri(endpoint)] }, TimeProvider.System))
            {
                var before = await client.StatusAsync();
                // A kept data dir that already holds (nearly) the requested size is reused as it is.
                if (before.DbSize < target * 9 / 10)
                {
                    var loadClock = Stopwatch.StartNew();
                    var keys = await LoadAsync(endpoint, target, valueBytes);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"loaded {keys} keys of {valueBytes} B in {loadClock.Elapsed.TotalSeconds:0} s"));
                }
                var status = await client.StatusAsync();
                dbSize = status.DbSize;
                version = status.Version;
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"etcd {version}: database {dbSize / 1e6:0.0} MB ({dbSize / (double)(1 << 30):0.00} GiB); {runs} runs, interleaved drydock, etcdctl, drydock, ..."));
            var results = new List<(string Tool, double Seconds, long PeakKb, long Bytes, double CpuSeconds)>();
            for (var r = 0; r < runs; r++)
            {
                var ours = Path.Combine(dir, $"drydock-{r}.db");
                var theirs = Path.Combine(dir, $"etcdctl-{r}.db");
                results.Add(await MeasureAsync("drydock", SelfCommand()[0], [.. SelfCommand().Skip(1), "etcd-snapshot", "--child-save", endpoint, ours], ours));
                results.Add(await MeasureAsync("etcdctl", Which("etcdctl"), ["--endpoints=" + endpoint, "snapshot", "save", theirs], theirs));
                // The two files must be the same snapshot format: db || sha256(db).
                if (!SameFormat(ours, theirs)) throw new InvalidOperationException($"run {r + 1}: drydock's file and etcdctl's differ in size or trailing hash");
                File.Delete(ours);
                File.Delete(theirs);
            }
            Console.WriteLine();
            Console.WriteLine("tool      run  wall s   cpu s   peak RSS MB  file MB   MB/s");
            foreach (var g in results.GroupBy(x => x.Tool))
            {
                var i = 0;
                foreach (var x in g)
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{x.Tool,-8} {++i,4} {x.Seconds,7:0.00} {x.CpuSeconds,7:0.00} {x.PeakKb / 1024.0,12:0.0} {x.Bytes / 1e6,8:0.0} {x.Bytes / 1e6 / x.Seconds,6:0}"));
            }
            foreach (var g in results.GroupBy(x => x.Tool))
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"median {g.Key}: {Median(g.Select(x => x.Seconds)):0.00} s wall, {Median(g.Select(x => x.CpuSeconds)):0.00} s cpu, peak RSS median {Median(g.Select(x => x.PeakKb / 1024.0)):0.0} MB, max {g.Max(x => x.PeakKb) / 1024.0:0.0} MB"));
            return 0;
        }
        finally
        {
            if (etcd is { HasExited: false }) { etcd.Kill(); await etcd.WaitForExitAsync(); }
            if (keepDir is null)
                try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>Both files end with sha256 of what precedes them and have the same length (the database did not change between runs).</summary>
    private static bool SameFormat(string a, string b) =>
        new FileInfo(a).Length == new FileInfo(b).Length && SnapshotHash.HasTrailingHash(new FileInfo(a).Length);

    /// <summary>The measured Drydock save: nothing but the library's SnapshotSaver in a fresh process.</summary>
    private static async Task<int> ChildSaveAsync(string endpoint, string path)
    {
        await using var client = new EtcdClient(new EtcdOptions { Endpoints = [new Uri(endpoint)], CommandTimeout = TimeSpan.FromSeconds(30) }, TimeProvider.System);
        var result = await new SnapshotSaver(client, TimeProvider.System).SaveAsync(path);
        Console.Error.WriteLine($"drydock: {result.DatabaseBytes} bytes in {result.Duration.TotalSeconds:0.00} s inside the process, allocated {GC.GetTotalAllocatedBytes() / 1e6:0.0} MB, sha256 {result.Sha256[..12]}…");
        return 0;
    }

    private static async Task<(string Tool, double Seconds, long PeakKb, long Bytes, double CpuSeconds)> MeasureAsync(string tool, string file, IEnumerable<string> args, string output)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["ETCDCTL_API"] = "3";
        var clock = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        long peak = 0;
        double cpu = 0;
        while (!p.HasExited)
        {
            peak = Math.Max(peak, VmHwmKb(p.Id));
            cpu = Math.Max(cpu, CpuSeconds(p.Id));
            await Task.Delay(5);
        }
        await p.WaitForExitAsync();
        var seconds = clock.Elapsed.TotalSeconds;
        if (p.ExitCode != 0) throw new InvalidOperationException($"{tool} failed: {await stderr}{await stdout}");
        var note = (await stderr).Trim();
        if (note.Length > 0 && tool == "drydock") Console.WriteLine(note);
        return (tool, seconds, peak, new FileInfo(output).Length, cpu);
    }

    /// <summary>user + system CPU time so far, from /proc/PID/stat (fields 14 and 15, in clock ticks of 1/100 s).</summary>
    private static double CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (IOException) { return 0; }
    }

    /// <summary>Peak resident set so far, from /proc/PID/status (0 once the process is gone).</summary>
    private static long VmHwmKb(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException) { }
        return 0;
    }

    private static async Task<(Process, string)> StartEtcdAsync(string dir)
    {
        // A kept data dir restarts on the ports it was created with (the member's peer URL is stored in its WAL).
        var portsFile = Path.Combine(dir, "ports.txt");
        var ports = File.Exists(portsFile) ? File.ReadAllText(portsFile).Split(',').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray() : new int[3];
        for (var i = 0; i < 3 && !File.Exists(portsFile); i++)
        {
            using var l = new TcpListener(IPAddress.Loopback, 0);
            l.Start();
            ports[i] = ((IPEndPoint)l.LocalEndpoint).Port;
        }
        File.WriteAllText(portsFile, string.Join(',', ports));
        var endpoint = $"http://127.0.0.1:{ports[0]}";
        var peer = $"http://127.0.0.1:{ports[1]}";
        var psi = new ProcessStartInfo(Which("etcd")) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[]
        {
            "--name", "bench", "--data-dir", Path.Combine(dir, "bench.etcd"), "--logger=zap", "--log-level=error",
            "--listen-client-urls", endpoint, "--advertise-client-urls", endpoint,
            "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer, "--initial-cluster", $"bench={peer}",
            "--listen-metrics-urls", $"http://127.0.0.1:{ports[2]}",
            // Big transactions load the data quickly; a big quota holds it.
            "--max-txn-ops=20000", "--max-request-bytes=33554432", "--quota-backend-bytes=8589934592",
        }) psi.ArgumentList.Add(a);
        var etcd = Process.Start(psi)!;
        etcd.OutputDataReceived += (_, _) => { };
        etcd.ErrorDataReceived += (_, _) => { };
        etcd.BeginOutputReadLine();
        etcd.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        // Opening a kept multi-GB database takes etcd a while (it maps and checks the file).
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(120))
        {
            try { if ((await http.GetStringAsync($"http://127.0.0.1:{ports[2]}/health")).Contains("true")) return (etcd, endpoint); }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            await Task.Delay(50);
        }
        etcd.Kill();
        throw new InvalidOperationException("etcd did not start within 120 s");
    }

    /// <summary>
    /// Writes keys /registry/bench/NNNNNNNN with pseudo-random printable values (seeded per batch: the same data every
    /// time), as many per etcdctl txn as its 2 MiB request limit allows, two txns in flight.
    /// </summary>
    private static async Task<int> LoadAsync(string endpoint, long bytes, int valueBytes)
    {
        var keys = (int)(bytes / valueBytes);
        // etcdctl sends at most 2 MiB per request: fill each txn up to ~1.8 MB.
        var batch = Math.Max(1, 1_800_000 / (valueBytes + 40));
        var starts = Enumerable.Range(0, (keys + batch - 1) / batch).Select(b => b * batch);
        await Parallel.ForEachAsync(starts, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (start, ct) =>
        {
            const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
            var rng = new Random(start);
            var value = new char[valueBytes];
            var txn = new StringBuilder("\n");
            for (var k = start; k < Math.Min(keys, start + batch); k++)
            {
                for (var c = 0; c < value.Length; c++) value[c] = alphabet[rng.Next(alphabet.Length)];
                txn.Append("put /registry/bench/").Append(k.ToString("D8", CultureInfo.InvariantCulture)).Append(' ').Append(value).Append('\n');
            }
            txn.Append("\n\n");
            var psi = new ProcessStartInfo(Which("etcdctl")) { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
            psi.ArgumentList.Add("--endpoints=" + endpoint);
            psi.ArgumentList.Add("--command-timeout=60s");
            psi.ArgumentList.Add("txn");
            psi.Environment["ETCDCTL_API"] = "3";
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync(ct);
            var stderr = p.StandardError.ReadToEndAsync(ct);
            await p.StandardInput.WriteAsync(txn.ToString());
            p.StandardInput.Close();
            await p.WaitForExitAsync(ct);
            if (p.ExitCode != 0) throw new InvalidOperationException($"etcdctl txn failed: {await stderr}");
            _ = await stdout;
        });
        return keys;
    }

    private static string[] SelfCommand()
    {
        var process = Environment.ProcessPath!;
        return Path.GetFileNameWithoutExtension(process) == "dotnet" ? [process, Assembly.GetEntryAssembly()!.Location] : [process];
    }

    private static string Which(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"{tool} not found on PATH (apt-get install etcd-server etcd-client)");

    private static string? StringArg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
