using System.Text;

namespace Drydock.Cli.Infrastructure;

/// <summary>Routes System.CommandLine's own output (help, version) to the injected console.</summary>
internal sealed class SpectreTextWriter(CliServices services) : TextWriter
{
    public override Encoding Encoding => Encoding.UTF8;
    public override void Write(char value) => services.Out.Profile.Out.Writer.Write(value);
    public override void Write(string? value) => services.Out.Profile.Out.Writer.Write(value);
    public override void WriteLine(string? value) => services.Out.Profile.Out.Writer.WriteLine(value);
}
