namespace Drydock.Kube.Models;

/// <summary>Anything with apiVersion/kind/metadata. Lets generic code (lists, watches, the sandbox) treat objects alike.</summary>
public interface IKubeObject
{
    string? ApiVersion { get; }
    string? Kind { get; }
    ObjectMeta Metadata { get; }
}

/// <summary>A typed list (NodeList, PodList …) or a generic v1 List.</summary>
public sealed record KubeList<T>
{
    public string? ApiVersion { get; init; }
    public string? Kind { get; init; }
    public ListMeta? Metadata { get; init; }
    public IReadOnlyList<T> Items { get; init; } = [];
}

/// <summary>One event of a watch stream: ADDED, MODIFIED, DELETED, BOOKMARK or ERROR (then Object is a Status).</summary>
public sealed record WatchEvent<T>(string Type, T? Object, Status? Error = null)
{
    public const string Added = "ADDED";
    public const string Modified = "MODIFIED";
    public const string Deleted = "DELETED";
    public const string Bookmark = "BOOKMARK";
    public const string ErrorType = "ERROR";
}
