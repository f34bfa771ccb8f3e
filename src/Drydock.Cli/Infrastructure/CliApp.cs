using System.CommandLine;
using System.Reflection;

namespace Drydock.Cli.Infrastructure;

/// <summary>Builds the root command from every [CliCommand] class and runs it.</summary>
internal static class CliApp
{
    public static RootCommand Build(CliServices services)
    {
        var root = new RootCommand("drydock — plans and performs kubeadm cluster maintenance: skew, plan, drain, upgrade, etcd, certs");
        foreach (var o in GlobalOptions.All) root.Options.Add(o);
        var factories = typeof(CliApp).Assembly.GetTypes()
            .Select(t => (type: t, attr: t.GetCustomAttribute<CliCommandAttribute>()))
            .Where(x => x.attr is not null)
            .OrderBy(x => x.attr!.Order).ThenBy(x => x.type.Name, StringComparer.Ordinal);
        foreach (var (type, _) in factories)
        {
            var create = type.GetMethod("Create", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static, [typeof(CliServices)])
                ?? throw new InvalidOperationException($"{type.Name} has [CliCommand] but no static Create(CliServices)");
            root.Subcommands.Add((Command)create.Invoke(null, [services])!);
        }
        return root;
    }

    public static async Task<int> RunAsync(string[] args, CliServices services, CancellationToken ct = default)
    {
        var root = Build(services);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // One clear line per problem, then the usual hint; exit 2 like kubectl's usage errors.
            foreach (var e in parse.Errors) services.Err.WriteLine($"error: {e.Message}");
            services.Err.WriteLine($"See '{CommandPath(parse)} --help' for usage.");
            return ErrorPresenter.Usage;
        }
        var config = new InvocationConfiguration { Output = new SpectreTextWriter(services), Error = services.Err, EnableDefaultExceptionHandler = false };
        try
        {
            return await parse.InvokeAsync(config, ct);
        }
        catch (Exception ex)
        {
            return ErrorPresenter.Present(ex, services.Err, parse.GetValue(GlobalOptions.Verbose));
        }
    }

    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var r = parse.CommandResult; r is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, r.Command is RootCommand ? "drydock" : r.Command.Name);
        return string.Join(' ', names);
    }
}
