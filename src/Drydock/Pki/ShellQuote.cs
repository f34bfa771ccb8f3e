namespace Drydock.Pki;

/// <summary>POSIX single-quoting for paths put into RunCommand lines.</summary>
internal static class ShellQuote
{
    public static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
