using Drydock.Cli.Infrastructure;
using Spectre.Console;

// Program only wires things together: the real console, the real clock, the real environment.
var services = CliServices.CreateDefault(AnsiConsole.Console);
return await CliApp.RunAsync(args, services);
