using System.Globalization;
using System.Text.RegularExpressions;

namespace Grid.Deploy.Tests.Support;

/// <summary>A settable property of the silo's "Grid" configuration section, read from the source text.</summary>
public sealed record SettingProperty(string Name, string Type, string File);

/// <summary>
/// What configuration keys the silo reads, taken from the source text of its option classes (no reflection: the
/// test does not reference the silo): the <c>{ get; set; }</c> properties of src/Grains/Hosting/GridOptions.cs and
/// src/Silo/GridHostOptions.cs, plus keys another change is adding (accepted once a src/Silo/*.cs declares them),
/// plus the dataset directory variables src/Engine/Data/DatasetCatalog.cs names.
/// </summary>
public static partial class SiloSettings
{
    public const string GridOptionsFile = "src/Grains/Hosting/GridOptions.cs";
    public const string HostOptionsFile = "src/Silo/GridHostOptions.cs";
    public const string DatasetCatalogFile = "src/Engine/Data/DatasetCatalog.cs";

    /// <summary>Keys the cluster work adds to the silo; accepted only once a property of that name exists in src/Silo.</summary>
    public static readonly IReadOnlyList<string> Pending = ["RedisConnectionString"];

    private static readonly Lazy<IReadOnlyDictionary<string, SettingProperty>> KnownProperties = new(LoadProperties);

    [GeneratedRegex(@"public\s+(?<type>[\w.<>\[\],]+\??)\s+(?<name>[A-Z]\w*)\s*\{\s*get;\s*(?:set|init);")]
    private static partial Regex PropertyPattern();

    [GeneratedRegex(@"public\s+const\s+string\s+\w+\s*=\s*""(?<value>[^""]*)""")]
    private static partial Regex StringConstantPattern();

    [GeneratedRegex(@"^(cpu|auto|cuda(:(\d+|all))?)(\s*,\s*(cpu|auto|cuda(:(\d+|all))?))*$")]
    private static partial Regex DevicePattern();

    /// <summary>Property name → property, case-insensitive like .NET configuration binding.</summary>
    public static IReadOnlyDictionary<string, SettingProperty> Properties => KnownProperties.Value;

    public static IEnumerable<SettingProperty> PropertiesIn(string relativeFile, string text) =>
        PropertyPattern().Matches(text).Select(m => new SettingProperty(m.Groups["name"].Value, m.Groups["type"].Value, relativeFile));

    private static IReadOnlyDictionary<string, SettingProperty> LoadProperties()
    {
        var result = new Dictionary<string, SettingProperty>(StringComparer.OrdinalIgnoreCase);
        foreach (string file in new[] { GridOptionsFile, HostOptionsFile })
        {
            foreach (var property in PropertiesIn(file, Repo.Read(file)))
            {
                result.TryAdd(property.Name, property);
            }
        }

        Assert.True(result.ContainsKey("ResultsRoot") && result.ContainsKey("GatewayPort"),
            $"could not read the option properties from {GridOptionsFile} and {HostOptionsFile} (found: {string.Join(", ", result.Keys)})");

        string siloDir = Repo.PathOf("src/Silo");
        var siloSources = Directory.EnumerateFiles(siloDir, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        foreach (string file in siloSources)
        {
            string relative = Path.GetRelativePath(Repo.Root, file);
            foreach (var property in PropertiesIn(relative, File.ReadAllText(file)))
            {
                if (Pending.Contains(property.Name, StringComparer.Ordinal))
                {
                    result.TryAdd(property.Name, property);
                }
            }
        }

        return result;
    }

    /// <summary>Values Grid:Clustering accepts (the string constants of ClusteringModes in GridHostOptions.cs).</summary>
    public static IReadOnlyList<string> ClusteringModes =>
        [.. StringConstantPattern().Matches(Repo.Read(HostOptionsFile)).Select(m => m.Groups["value"].Value)];

    /// <summary>
    /// Null when the silo reads <paramref name="key"/> and can parse <paramref name="value"/>; otherwise why not.
    /// Keys that are not the silo's (no Grid__/GRID_ prefix) are not judged.
    /// </summary>
    public static string? Problem(string key, string? value, string where)
    {
        string? propertyName;
        if (key.StartsWith("Grid__", StringComparison.OrdinalIgnoreCase))
        {
            propertyName = key["Grid__".Length..].Split("__")[0];
        }
        else if (key.StartsWith("GRID_", StringComparison.OrdinalIgnoreCase))
        {
            propertyName = key["GRID_".Length..].Split("__")[0];
            if (!Properties.ContainsKey(propertyName))
            {
                return Repo.Read(DatasetCatalogFile).Contains($"\"{key}\"", StringComparison.Ordinal)
                    ? null
                    : $"{where}: {key} is neither a short-form Grid setting (GRID_<Property>) nor a dataset variable named in {DatasetCatalogFile}";
            }
        }
        else
        {
            return null;
        }

        if (!Properties.TryGetValue(propertyName, out var property))
        {
            string pending = Pending.Contains(propertyName, StringComparer.OrdinalIgnoreCase)
                ? $" '{propertyName}' is expected from the Redis clustering change, but no src/Silo/*.cs declares a property of that name yet."
                : "";
            return $"{where}: {key} sets Grid:{propertyName}, which the silo does not read: it is not a {{ get; set; }} property of "
                + $"{GridOptionsFile} or {HostOptionsFile}.{pending} Known: {string.Join(", ", Properties.Keys.Order(StringComparer.Ordinal))}";
        }

        if (value is null)
        {
            return null; // from the downward API or a secret: not judged
        }

        string type = property.Type.TrimEnd('?');
        bool parses = type switch
        {
            "int" => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
            "long" => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
            "double" => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
            "bool" => bool.TryParse(value, out _),
            _ => true,
        };
        if (!parses)
        {
            return $"{where}: {key}={value} does not parse as {type} ({property.File} {property.Name})";
        }

        if (property.Name == "Clustering" && !ClusteringModes.Contains(value.Trim().ToLowerInvariant()))
        {
            return $"{where}: {key}={value} is not a clustering mode ({string.Join(", ", ClusteringModes)})";
        }

        if (property.Name == "Device" && !DevicePattern().IsMatch(value.Trim().ToLowerInvariant()))
        {
            return $"{where}: {key}={value} is not a device (cpu, cuda, cuda:N, cuda:all, auto or a comma-separated list)";
        }

        return null;
    }
}
