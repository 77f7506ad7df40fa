using System.Text.Json;
using Grid.Engine.IO;
using Grid.Engine.Specs;

namespace Grid.Engine.Runs.Store;

/// <summary>
/// store.json in a sweep's run directory: which trunk and line of the run store the run's iterations come from. A run
/// directory without it was written before the run store and trains in place, as it always did.
/// </summary>
/// <param name="Store">The run store's root, relative to the run directory (the results root stays movable).</param>
public sealed record StoreLink(string Store, string Trunk, string Line)
{
    public const string FileName = "store.json";

    public static StoreLink? Read(string runDirectory)
    {
        string file = Path.Combine(runDirectory, FileName);
        if (!File.Exists(file))
        {
            return null;
        }

        try
        {
            return SpecJson.Parse<StoreLink>(File.ReadAllText(file));
        }
        catch (JsonException error)
        {
            throw new CorruptArtifactException(file, $"not a valid link to the run store ({error.Message})");
        }
    }

    /// <summary>Links <paramref name="runDirectory"/> to <paramref name="identity"/> in <paramref name="store"/>
    /// (atomically; an existing link is left as it is).</summary>
    public static StoreLink Write(string runDirectory, RunStore store, RunIdentity identity)
    {
        return Read(runDirectory) ?? Replace(runDirectory, store, identity);
    }

    /// <summary>Points <paramref name="runDirectory"/> at <paramref name="identity"/>, whatever it pointed at before.</summary>
    public static StoreLink Replace(string runDirectory, RunStore store, RunIdentity identity)
    {
        var link = new StoreLink(Path.GetRelativePath(Path.GetFullPath(runDirectory), store.Root), identity.Trunk, identity.Line);
        AtomicFile.WriteText(Path.Combine(runDirectory, FileName), JsonSerializer.Serialize(link, SpecJson.Indented));
        return link;
    }

    public RunStore OpenStore(string runDirectory) => new(Path.GetFullPath(Path.Combine(runDirectory, Store)));
}
