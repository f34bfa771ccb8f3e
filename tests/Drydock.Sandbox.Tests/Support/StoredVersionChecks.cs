using System.Runtime.CompilerServices;
using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Tests.Support;

/// <summary>Every sandbox in these tests checks that no stored version changes after its commit (new versions share
/// subtrees with the stored ones; see <see cref="CopyOnWrite"/>). Drydock.Cli.Tests links this file too.</summary>
internal static class StoredVersionChecks
{
    [ModuleInitializer]
    internal static void TurnOn() => ObjectStore.VerifyStoredVersions = true;
}
