// Benchmarks: `dotnet run -c Release --project bench/Drydock.Bench -- <name>`; each prints its numbers.
Console.Error.WriteLine("usage: Drydock.Bench <benchmark>");
return 2;
