using Drydock.Drain;
using Drydock.Kube.Models;

namespace Drydock.Tests.Drain;

/// <summary><see cref="PdbDiagnostics.RefusingBudget"/> reads the budget's name from a refusal as the API server words it
/// (pkg/registry/core/pod/storage/eviction.go), and never makes up a name it could not GET.</summary>
public sealed class RefusingBudgetTests
{
    private const string Refused = "Cannot evict pod as it would violate the pod's disruption budget.";

    public static TheoryData<string, Status, string?> Refusals => new()
    {
        { "needs healthy pods", Cause("The disruption budget web needs 2 healthy pods and has 2 currently"), "web" },
        { "still being processed", Cause("The disruption budget db-pdb is still being processed by the server."), "db-pdb" },
        { "sync failed", Cause("The disruption budget api.v2 does not allow evicting pods currently because it failed sync: boom"), "api.v2" },
        { "condition reason", Cause("The disruption budget cache does not allow evicting pods currently (InsufficientPods): low"), "cache" },
        { "plain refusal, no cause", new Status { Code = 429, Message = Refused }, null },
        { "cause of another reason", Cause("The disruption budget web needs 2 healthy pods", reason: "FieldValueInvalid"), null },
        { "empty name", Cause("The disruption budget  needs 2 healthy pods and has 2 currently"), null },
        { "not a DNS name", Cause("The disruption budget Web_1 needs 2 healthy pods and has 2 currently"), null },
        { "forbidden, named in details", new Status { Code = 403, Message = "poddisruptionbudget.policy \"web\" is forbidden: pdb disruptions allowed is negative",
            Details = new StatusDetails { Name = "web", Group = "policy", Kind = "poddisruptionbudget" } }, "web" },
        { "details of another kind", new Status { Code = 403, Details = new StatusDetails { Name = "web", Kind = "pods" } }, null },
        { "name only in the message", new Status { Code = 429, Message = $"{Refused} The disruption budget front needs 3 healthy pods and has 2 currently" }, "front" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Should_read_the_refusing_budgets_name_as_the_api_server_sends_it(string _, Status refusal, string? expected)
    {
        // Given a refusal / When its budget is asked for / Then the name is the one the server gave, or none
        PdbDiagnostics.RefusingBudget(refusal).Should().Be(expected);
    }

    private static Status Cause(string message, string reason = "DisruptionBudget") => new()
    {
        Code = 429, Reason = "TooManyRequests", Message = Refused,
        Details = new StatusDetails { Causes = [new StatusCause { Reason = reason, Message = message }] },
    };
}
