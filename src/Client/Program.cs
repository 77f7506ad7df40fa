Console.WriteLine("grid: not yet implemented");
