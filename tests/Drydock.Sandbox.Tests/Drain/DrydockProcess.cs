using System.Diagnostics;
using Drydock.Sandbox.Tests.Support;

namespace Drydock.Sandbox.Tests.Drain;

/// <summary>Runs the built `drydock` CLI (src/Drydock.Cli's drydock.dll, same configuration as this test) as a process.</summary>
internal static class DrydockProcess
{
    public static string DllPath
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            var configuration = dir.Parent!.Name; // …/bin/<Configuration>/net10.0/
            var tfm = dir.Name;
            for (var d = dir; d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "Drydock.sln")))
                {
                    // The CLI assembly is drydock.dll (it was Drydock.Cli.dll for a while): take the newest that exists.
                    var bin = Path.Combine(d.FullName, "src", "Drydock.Cli", "bin", configuration, tfm);
                    return new[] { "drydock.dll", "Drydock.Cli.dll" }.Select(n => new FileInfo(Path.Combine(bin, n))).Where(f => f.Exists)
                        .OrderByDescending(f => f.LastWriteTimeUtc).FirstOrDefault()?.FullName
                        ?? throw new FileNotFoundException($"the drydock CLI is not built in {bin}");
                }
            throw new InvalidOperationException("Drydock.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static async Task<KubectlResult> RunAsync(string kubeconfig, TimeSpan timeout, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(DllPath);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add("--kubeconfig");
        psi.ArgumentList.Add(kubeconfig);
        psi.Environment["KUBECONFIG"] = kubeconfig;
        psi.Environment["HOME"] = Path.GetDirectoryName(kubeconfig)!;
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment.Remove("KUBERNETES_SERVICE_HOST");
        return await Kubectl.RunProcessAsync(psi, $"drydock {string.Join(' ', args)}", timeout);
    }
}
