Console.WriteLine("silo: not yet implemented");
