using Orleans.Runtime.Placement;

namespace Grid.Grains.Placement;

/// <summary>
/// What placement needs to send an iteration where iterations of its bundle key already wait: the key, and the members
/// its spec allows in one bundle (<c>training.bundle: K</c>; 0 for <c>auto</c>, which a silo's cost model decides for its
/// own slots). For <c>auto</c>, <paramref name="OwnSiloMembers"/> is what the cost model of the run grain's silo gives
/// (0 when that silo has no slots), and <paramref name="OwnSiloDevice"/> that silo's devices: placement's estimate, before
/// a silo reports the key, for the silos with the same devices. The run grain puts it in the request context of its call
/// to the iteration grain, which is what places it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record BundleAffinity(
    [property: Id(0)] string Key,
    [property: Id(1)] int Members,
    [property: Id(2)] int OwnSiloMembers = 0,
    [property: Id(3)] string OwnSiloDevice = "")
{
    private const string ContextKey = "grid.bundle-affinity";

    /// <summary>Sets the affinity for the grain calls made until the returned scope is disposed.</summary>
    public IDisposable Apply()
    {
        RequestContext.Set(ContextKey, this);
        return new Scope();
    }

    /// <summary>The affinity the call that triggers a placement carried, if any.</summary>
    public static BundleAffinity? Of(PlacementTarget target) =>
        target.RequestContextData is { } data && data.TryGetValue(ContextKey, out object? value) ? value as BundleAffinity : null;

    private sealed class Scope : IDisposable
    {
        public void Dispose() => RequestContext.Remove(ContextKey);
    }
}
