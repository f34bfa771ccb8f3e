using Drydock.Etcd;

namespace Drydock.Tests.Etcd.Support;

/// <summary>
/// One plain and one TLS etcd for a whole test collection, with keys written in. Fails loudly (not skipped) when
/// etcd is not installed.
/// </summary>
public sealed class EtcdFixture : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    internal EtcdProcess Plain { get; private set; } = null!;
    internal EtcdProcess Tls { get; private set; } = null!;
    internal TestPki Pki { get; private set; } = null!;
    public const int UserKeys = 20;

    internal string Dir => _dir.Path;

    public async Task InitializeAsync()
    {
        Pki = TestPki.Create(_dir["pki"]);
        var plain = EtcdProcess.StartAsync(new() { Name = "plain", DataDir = _dir["plain.etcd"] });
        var tls = EtcdProcess.StartAsync(new() { Name = "tls", DataDir = _dir["tls.etcd"], Tls = Pki });
        Plain = await plain;
        Tls = await tls;
        for (var i = 0; i < UserKeys; i++)
        {
            await Etcdctl.OkAsync(Plain, null, "put", $"/registry/plain/{i:D3}", $"value-{i}");
            await Etcdctl.OkAsync(Tls, Pki, "put", $"/registry/tls/{i:D3}", $"value-{i}");
        }
    }

    internal EtcdOptions PlainOptions => new() { Endpoints = [Plain.ClientUrl] };

    internal EtcdOptions TlsOptions => new() { Endpoints = [Tls.ClientUrl], CaCertFile = Pki.CaCert, CertFile = Pki.ClientCert, KeyFile = Pki.ClientKey };

    public async Task DisposeAsync()
    {
        if (Plain is not null) await Plain.DisposeAsync();
        if (Tls is not null) await Tls.DisposeAsync();
        _dir.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class EtcdCollection : ICollectionFixture<EtcdFixture>
{
    public const string Name = "etcd";
}
