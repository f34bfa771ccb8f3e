namespace Drydock.Nodes.Shell;

/// <summary>POSIX single-quoting: the only quoting that needs no escaping inside, so commands stay readable.</summary>
public static class ShellQuote
{
    private static readonly System.Buffers.SearchValues<char> Safe =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%");

    /// <summary>Quotes only when needed: <c>kubeadm</c> stays bare, <c>1.28.4-*</c> becomes <c>'1.28.4-*'</c>.</summary>
    public static string Quote(string word) =>
        word.Length > 0 && !word.AsSpan().ContainsAnyExcept(Safe) ? word : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
