using System.CommandLine;

namespace Drydock.Cli.Infrastructure;

/// <summary>kubectl-style global flags, recursive so they work after any subcommand.</summary>
internal static class GlobalOptions
{
    public static readonly Option<string?> Kubeconfig = new("--kubeconfig")
    {
        Description = "Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)",
        Recursive = true,
    };

    public static readonly Option<string?> Context = new("--context")
    {
        Description = "The name of the kubeconfig context to use",
        Recursive = true,
    };

    public static readonly Option<string> Output = new("--output", "-o")
    {
        Description = "Output format: table, json or yaml (rehearse: html too)",
        Recursive = true,
        DefaultValueFactory = _ => "table",
    };

    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Verbose output: explanations, and stack traces on unexpected errors",
        Recursive = true,
    };

    static GlobalOptions()
    {
        Output.AcceptOnlyFromAmong("table", "json", "yaml", "wide", "html");
    }

    public static IEnumerable<Option> All => [Kubeconfig, Context, Output, Verbose];
}
