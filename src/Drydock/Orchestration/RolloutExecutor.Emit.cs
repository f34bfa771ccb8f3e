namespace Drydock.Orchestration;

public sealed partial class RolloutExecutor
{
    /// <summary>Stamps time, run id and overall counts on an event the executor built, then reports and journals it.</summary>
    private async Task EmitAsync(RolloutEvent draft)
    {
        var state = _state;
        var e = draft with { Time = _time.GetUtcNow(), RunId = state.RunId, CompletedSteps = state.CompletedSteps, TotalSteps = state.TotalSteps };
        _progress?.Report(e);
        await _journal.AppendAsync(e, CancellationToken.None);
    }
}
