using System.CommandLine;
using Drydock.Cli.Infrastructure;

namespace Drydock.Cli.Commands;

/// <summary>`drydock uncordon NODE... | -l SEL` — kubectl uncordon (PATCH {"spec":{"unschedulable":null}}).</summary>
[CliCommand(31)]
internal static class UncordonCommand
{
    public static Command Create(CliServices services) =>
        NodeSchedulingCommand.Create(services, "uncordon", "Mark nodes as schedulable", unschedulable: false);
}
