namespace Drydock.Drain;

/// <summary>When a drain reads the PodDisruptionBudgets it explains (<see cref="DrainOptions.DiagnosePdbs"/>).</summary>
public enum PdbDiagnosisTiming
{
    /// <summary><see cref="BeforeEvicting"/> when a progress observer is attached (someone will see the plan's
    /// diagnosis) or <see cref="DrainOptions.FailFastOnPdb"/> is set (it refuses hopeless budgets up front);
    /// otherwise <see cref="OnRefusal"/>.</summary>
    Auto,

    /// <summary>List the budgets of the evicted pods' namespaces before the first eviction and diagnose them in the
    /// plan; a refusal is explained with a fresh GET of the refusing budget.</summary>
    BeforeEvicting,

    /// <summary>Read nothing up front; on a refusal, GET the budget the API server names (or list the pod's
    /// namespace when it names none). The plan carries no diagnosis.</summary>
    OnRefusal,
}
