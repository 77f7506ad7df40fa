namespace Grid.Grains.Placement;

/// <summary>
/// A silo as placement sees it: its device slots, the slots training now, and the iterations waiting in its queue
/// (reported on the slot board, plus the placements made here since), <paramref name="Queued"/> in all and by bundle key;
/// and the devices it trains on, as its report names them ("cpu", "cuda:0"; "" before its first report).
/// </summary>
public sealed record SiloQueue(string Silo, int Slots, int Busy, int Queued, IReadOnlyList<QueuedShape> Shapes, string Device = "")
{
    /// <summary>The jobs this silo has to run: its busy slots, one per queued iteration without a key, and the bundles
    /// its queued iterations of each key make.</summary>
    public int Jobs => Busy + Math.Max(0, Queued - Shapes.Sum(s => s.Count)) + Shapes.Sum(s => Bundles(s.Count, s.Members));

    /// <summary>With one more iteration of <paramref name="iteration"/>'s key queued (a new shape takes its
    /// members hint).</summary>
    public SiloQueue With(BundleAffinity? iteration)
    {
        if (iteration is null)
        {
            return this with { Queued = Queued + 1 };
        }

        var shape = Shapes.FirstOrDefault(s => s.Key == iteration.Key);
        var grown = shape is null
            ? new QueuedShape { Key = iteration.Key, Count = 1, Members = Math.Max(1, iteration.Members) }
            : shape with { Count = shape.Count + 1 };
        return this with { Queued = Queued + 1, Shapes = [.. Shapes.Where(s => s.Key != iteration.Key), grown] };
    }

    /// <summary>The most members one bundle of <paramref name="key"/> may have here (1 when nothing tells).</summary>
    public int MembersOf(string key) => Shapes.FirstOrDefault(s => s.Key == key)?.Members ?? 1;

    /// <summary>True when this silo's report names <paramref name="key"/> (queued, or trained lately).</summary>
    public bool Reports(string key) => Shapes.Any(s => s.Key == key);

    private static int Bundles(int count, int members) => (count + Math.Max(1, members) - 1) / Math.Max(1, members);
}
