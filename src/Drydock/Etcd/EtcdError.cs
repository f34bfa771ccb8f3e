using Drydock.Common;

namespace Drydock.Etcd;

/// <summary>An etcd call failed: unreachable, TLS refused, timed out, or the server answered with a gRPC error.</summary>
public sealed record EtcdError(string Message, Uri? Endpoint = null, int? GrpcStatus = null) : DrydockError(Message);

/// <summary>A snapshot file is unusable: truncated, corrupt, hash mismatch. Exit code 1 (the file exists but is bad).</summary>
public sealed record SnapshotFileError(string Path, string Reason) : DrydockError($"snapshot {Path}: {Reason}");
