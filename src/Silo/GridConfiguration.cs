using System.Collections;
using Microsoft.Extensions.Configuration;

namespace Grid.Silo;

/// <summary>
/// Configuration sources of a grid process: appsettings.json, then environment variables in either form
/// <c>Grid__DeviceSlots=2</c> (standard .NET) or <c>GRID_DEVICESLOTS=2</c> / <c>GRID_DeviceSlots=2</c> (short form;
/// <c>GRID_A__B</c> maps to <c>Grid:A:B</c>), then the command line (<c>--Grid:DeviceSlots=2</c>).
/// </summary>
public static class GridConfiguration
{
    public const string ShortPrefix = "GRID_";

    public static IConfigurationBuilder AddGridEnvironment(this IConfigurationBuilder builder) =>
        builder.AddInMemoryCollection(ShortFormVariables(Environment.GetEnvironmentVariables()));

    public static IEnumerable<KeyValuePair<string, string?>> ShortFormVariables(IDictionary variables)
    {
        foreach (DictionaryEntry entry in variables)
        {
            if (entry.Key is string name && name.StartsWith(ShortPrefix, StringComparison.OrdinalIgnoreCase) && name.Length > ShortPrefix.Length)
            {
                yield return new($"Grid:{name[ShortPrefix.Length..].Replace("__", ":", StringComparison.Ordinal)}", entry.Value as string);
            }
        }
    }
}
