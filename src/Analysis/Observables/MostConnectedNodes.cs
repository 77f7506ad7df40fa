namespace Grid.Analysis.Observables;

/// <summary>The nodes with the largest C^in (ties: lower index first), as shown in the paper's mask figures.</summary>
public static class MostConnectedNodes
{
    public static int[] Top(IReadOnlyList<int> inputConnectivity, int count) =>
        Enumerable.Range(0, inputConnectivity.Count)
            .OrderByDescending(j => inputConnectivity[j])
            .ThenBy(j => j)
            .Take(Math.Max(0, count))
            .ToArray();
}
