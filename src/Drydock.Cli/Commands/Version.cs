using System.CommandLine;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using Drydock.Cli.Infrastructure;
using Drydock.Kube;
using Drydock.Kube.Json;
using Drydock.Kube.Models;

namespace Drydock.Cli.Commands;

/// <summary>`drydock version`: the client's version and the server's /version, as `kubectl version` prints them.</summary>
[CliCommand(10)]
internal static class VersionCommand
{
    public static Command Create(CliServices services)
    {
        var command = new Command("version", "Print the client version and the Kubernetes API server's version");
        command.SetHandler(services, (parse, ct) => Handle(services, parse, ct));
        return command;
    }

    public static string ClientVersion { get; } =
        "v" + (typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
               ?? typeof(VersionCommand).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");

    internal static async Task<int> Handle(CliServices services, ParseResult parse, CancellationToken ct)
    {
        var output = services.Out.Profile.Out.Writer;
        var format = parse.Output();
        if (format is OutputFormat.Table or OutputFormat.Wide) output.WriteLine($"Client Version: {ClientVersion}");
        var client = await services.KubeClientFactory(parse, ct);
        VersionInfo server;
        try { server = await client.GetVersionAsync(ct); }
        finally { (client as IDisposable)?.Dispose(); }
        switch (format)
        {
            case OutputFormat.Json: output.WriteLine(KubeOutput.IndentJson(Document(server))); break;
            case OutputFormat.Yaml: output.Write(KubeOutput.JsonToYaml(Document(server))); break;
            default: output.WriteLine($"Server Version: {server.GitVersion}"); break;
        }
        return ErrorPresenter.Ok;
    }

    /// <summary>{"clientVersion": {...}, "serverVersion": {...}} as kubectl's -o json.</summary>
    private static string Document(VersionInfo server)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartObject("clientVersion");
            w.WriteString("gitVersion", ClientVersion);
            w.WriteString("platform", $"{RuntimeInformation.OSDescription.Split(' ')[0].ToLowerInvariant()}/{Arch()}");
            w.WriteEndObject();
            w.WritePropertyName("serverVersion");
            using (var doc = JsonDocument.Parse(KubeJson.Serialize(server))) doc.WriteTo(w);
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Arch() => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        var a => a.ToString().ToLowerInvariant(),
    };
}
