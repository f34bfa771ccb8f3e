namespace Drydock.Nodes.Shell;

/// <summary>The node's package manager family. The seeds show both: apt (Debian/Ubuntu) and yum/dnf (RHEL/CentOS/Fedora).</summary>
public enum PackageManager { Apt, Yum }

public static class PackageManagers
{
    /// <summary>Parses "apt", "yum" or "dnf" (dnf renders as yum: RHEL 8+ ship yum as dnf's alias).</summary>
    public static PackageManager? TryParse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "apt" or "apt-get" or "deb" => PackageManager.Apt,
        "yum" or "dnf" or "rpm" => PackageManager.Yum,
        _ => null,
    };

    public static string Name(this PackageManager pm) => pm == PackageManager.Apt ? "apt" : "yum";
}
