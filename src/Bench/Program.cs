using Grid.Bench;

return BenchCli.Run(args, Console.Out, Console.Error);
