using System.CommandLine;

namespace Drydock.Cli.Infrastructure;

/// <summary>Helpers every command uses to attach a handler and read the global flags.</summary>
internal static class CommandHandler
{
    /// <summary>Attaches an async handler; exceptions go to <see cref="ErrorPresenter"/>.</summary>
    public static void SetHandler(this Command command, CliServices services, Func<ParseResult, CancellationToken, Task<int>> handler) =>
        command.SetAction(async (parse, ct) =>
        {
            try { return await handler(parse, ct); }
            catch (Exception ex) { return ErrorPresenter.Present(ex, services.Err, parse.GetValue(GlobalOptions.Verbose)); }
        });

    public static OutputFormat Output(this ParseResult parse) => parse.GetValue(GlobalOptions.Output) switch
    {
        "json" => OutputFormat.Json,
        "yaml" => OutputFormat.Yaml,
        "wide" => OutputFormat.Wide,
        _ => OutputFormat.Table,
    };

    public static bool Verbose(this ParseResult parse) => parse.GetValue(GlobalOptions.Verbose);
}

internal enum OutputFormat { Table, Wide, Json, Yaml }
