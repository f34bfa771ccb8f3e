namespace Drydock.Cli.Infrastructure;

/// <summary>
/// Marks a static class in Commands/ whose <c>public static Command Create(CliServices services)</c> builds a
/// top-level command. <see cref="CliApp"/> finds them by reflection, so adding a command touches one file.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class CliCommandAttribute(int order) : Attribute
{
    /// <summary>Position in `drydock --help`.</summary>
    public int Order { get; } = order;
}
