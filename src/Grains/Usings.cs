global using Grid.Abstractions.Contracts;
global using Grid.Abstractions.Grains;
global using Microsoft.Extensions.Logging;
global using Microsoft.Extensions.Options;
global using Orleans;
global using Orleans.Runtime;
