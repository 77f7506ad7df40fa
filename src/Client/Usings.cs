global using Grid.Abstractions.Contracts;
global using Grid.Abstractions.Grains;
global using Orleans;
