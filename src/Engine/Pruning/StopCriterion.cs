namespace Grid.Engine.Pruning;

/// <summary>docs/science.md §3: stop once some prunable layer has at most stop_ratio of its nodes with an incoming weight.</summary>
public static class StopCriterion
{
    public static string? Check(MaskSet next, IReadOnlyList<bool> prunable, double stopRatio)
    {
        var connected = next.ConnectedNodeFractions();
        for (int l = 0; l < connected.Count; l++)
        {
            if (prunable[l] && connected[l] <= stopRatio)
            {
                return $"layer {l + 1}: only {connected[l]:P1} of its nodes keep an incoming weight (stop_ratio {stopRatio})";
            }
        }

        return null;
    }
}
