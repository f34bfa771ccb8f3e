namespace Drydock.Bench;

/// <summary>
/// One benchmark = one file with one class implementing this; <see cref="Program"/> finds it by reflection and runs
/// it as `dotnet run -c Release --project bench/Drydock.Bench -- NAME [args]`. Print numbers, return 0 when the
/// targets were met, 1 when not.
/// </summary>
internal interface IBenchmark
{
    string Name { get; }
    string Description { get; }
    Task<int> RunAsync(string[] args);
}
