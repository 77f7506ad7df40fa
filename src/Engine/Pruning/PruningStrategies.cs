namespace Grid.Engine.Pruning;

/// <summary>The registry of pruning procedures selectable as pruning.method.</summary>
public static class PruningStrategies
{
    private static readonly Dictionary<string, IPruningStrategy> Registry = new(StringComparer.Ordinal);

    static PruningStrategies()
    {
        Register(new ImpStrategy(global: false));
        Register(new ImpStrategy(global: true));
        Register(new OneShotStrategy());
        Register(new RandomStrategy());
        Register(new SnipStrategy());
        Register(new SynflowStrategy());
        Register(new ProgressiveImpStrategy());
    }

    public static IReadOnlyCollection<string> Names => Registry.Keys;

    public static IReadOnlyCollection<IPruningStrategy> All => Registry.Values;

    public static void Register(IPruningStrategy strategy) => Registry[strategy.Name] = strategy;

    public static IPruningStrategy Get(string name) =>
        Registry.TryGetValue(name, out var strategy)
            ? strategy
            : throw new ArgumentException($"pruning.method: unknown procedure '{name}' (expected one of {string.Join(", ", Registry.Keys)})");
}
