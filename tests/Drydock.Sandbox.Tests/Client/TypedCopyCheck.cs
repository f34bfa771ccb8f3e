using System.Text.Json.Nodes;
using Drydock.Kube.Json;
using Drydock.Kube.Models;
using Drydock.Sandbox.Client;

namespace Drydock.Sandbox.Tests.Client;

/// <summary>Compares the direct reading of a tree with the serializer's reading of the same tree.</summary>
internal static class TypedCopyCheck
{
    /// <summary>Asserts the direct reader handles <paramref name="o"/> itself and gives the serializer's result.</summary>
    public static void ReadsDirectlyAsSerializer<T>(JsonObject o) where T : class
    {
        var expected = KubeJson.Serialize(TypedCopy.Serialized<T>(o));
        TypedCopy.TryDirect<T>(o, out var direct).Should().BeTrue();
        KubeJson.Serialize(direct).Should().Be(expected, "the direct reading of {0} must equal the serializer's", Describe(o));
        KubeJson.Serialize(TypedCopy.Of<T>(o)).Should().Be(expected);
    }

    /// <summary>Asserts <see cref="TypedCopy.Of{T}"/> behaves as the serializer does: the same result or the same
    /// exception type. Returns whether the direct reader handled the tree itself.</summary>
    public static bool ConvertsAsSerializer<T>(JsonObject o) where T : class
    {
        string? expected = null;
        Type? expectedError = null;
        try { expected = KubeJson.Serialize(TypedCopy.Serialized<T>(o)); }
        catch (Exception e) { expectedError = e.GetType(); }

        if (expectedError is null) KubeJson.Serialize(TypedCopy.Of<T>(o)).Should().Be(expected);
        else FluentActions.Invoking(() => TypedCopy.Of<T>(o)).Should().Throw<Exception>().Which.GetType().Should().Be(expectedError);

        try { return TypedCopy.TryDirect<T>(o, out _); }
        catch (NotDirectlyReadableException) { return false; }
    }

    /// <summary>The kinds with a direct reader.</summary>
    public static readonly Type[] DirectKinds =
        [typeof(Pod), typeof(Node), typeof(PodDisruptionBudget), typeof(ReplicaSet), typeof(Deployment), typeof(StatefulSet),
         typeof(DaemonSet), typeof(Job), typeof(ReplicationController), typeof(ConfigMap), typeof(Lease), typeof(Event), typeof(Namespace)];

    public static Type? DirectKind(string kind) => DirectKinds.FirstOrDefault(t => t.Name == kind);

    public static void ReadsDirectlyAsSerializer(Type model, JsonObject o) => Invoke(nameof(ReadsDirectlyAsSerializer), model, o);

    public static bool ConvertsAsSerializer(Type model, JsonObject o) => (bool)Invoke(nameof(ConvertsAsSerializer), model, o)!;

    private static object? Invoke(string name, Type model, JsonObject o)
    {
        var method = typeof(TypedCopyCheck).GetMethods().Single(m => m.Name == name && m.IsGenericMethodDefinition).MakeGenericMethod(model);
        try { return method.Invoke(null, [o]); }
        catch (System.Reflection.TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }

    private static string Describe(JsonObject o) => $"{o["kind"]} {o["metadata"]?["namespace"]}/{o["metadata"]?["name"]}";
}
