namespace Drydock.Pki;

/// <summary>Reads every file the inventory needs from one source (the only I/O step of a check).</summary>
public static class PkiSnapshotReader
{
    public static async Task<PkiSnapshot> ReadAsync(IPkiFileSource source, PkiLayout layout, CancellationToken ct = default)
    {
        var files = new Dictionary<string, string?>(StringComparer.Ordinal);
        var exists = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var ca in KubeadmCertificates.Authorities)
        {
            files[layout.CaCertPath(ca)] = await source.ReadTextAsync(layout.CaCertPath(ca), ct);
            exists[layout.CaKeyPath(ca)] = await source.ExistsAsync(layout.CaKeyPath(ca), ct);
        }
        foreach (var spec in KubeadmCertificates.Certificates)
        {
            var path = layout.CertPath(spec);
            files[path] = await source.ReadTextAsync(path, ct);
            if (layout.KeyPath(spec) is { } key) exists[key] = await source.ExistsAsync(key, ct);
        }
        foreach (var path in new[] { layout.KubeletClientPath, layout.KubeletServingPath, layout.KubeletConfigPath })
            files[path] = await source.ReadTextAsync(path, ct);
        return new PkiSnapshot { Location = source.Location, Layout = layout, Files = files, Exists = exists };
    }
}
