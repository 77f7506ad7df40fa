using Grid.Silo;

var app = GridSiloHost.Build(args);
await app.RunAsync();
