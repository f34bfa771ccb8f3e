using System.Reflection;
using Drydock.Bench;

// Benchmarks are discovered by reflection: add a class implementing IBenchmark in its own file.
var benchmarks = Assembly.GetExecutingAssembly().GetTypes()
    .Where(t => typeof(IBenchmark).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false })
    .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
    .OrderBy(b => b.Name, StringComparer.Ordinal)
    .ToList();

if (args.Length == 0 || args[0] is "-h" or "--help" || benchmarks.All(b => b.Name != args[0]))
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project bench/Drydock.Bench -- BENCHMARK [args]");
    foreach (var b in benchmarks) Console.Error.WriteLine($"  {b.Name,-12} {b.Description}");
    return args.Length == 0 || args[0] is "-h" or "--help" ? 0 : 2;
}
return await benchmarks.Single(b => b.Name == args[0]).RunAsync(args[1..]);
