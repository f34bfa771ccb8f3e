namespace Drydock.Drain;

/// <summary>kubectl's --dry-run: none (act), client (print what would happen, send nothing), server (send with dryRun=All).</summary>
public enum DryRunMode { None, Client, Server }

public static class DryRunModes
{
    /// <summary>Parses kubectl's values; bare flag = client; true/false accepted as kubectl's deprecated spellings.</summary>
    public static bool TryParse(string? text, out DryRunMode mode)
    {
        mode = text switch
        {
            null or "" or "client" or "true" => DryRunMode.Client,
            "none" or "false" => DryRunMode.None,
            "server" => DryRunMode.Server,
            _ => (DryRunMode)(-1),
        };
        return Enum.IsDefined(mode);
    }

    public static string InvalidMessage(string value) =>
        $"Invalid dry-run value ({value}). Must be \"none\", \"server\", or \"client\".";

    /// <summary>The suffix kubectl appends to every node and pod line: " (dry run)" / " (server dry run)".</summary>
    public static string Suffix(this DryRunMode mode) => mode switch
    {
        DryRunMode.Client => " (dry run)",
        DryRunMode.Server => " (server dry run)",
        _ => "",
    };
}
