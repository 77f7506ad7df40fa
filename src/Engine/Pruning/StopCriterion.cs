namespace Grid.Engine.Pruning;

/// <summary>docs/science.md §3: stop once some prunable layer has at most stop_ratio of its nodes with an incoming weight.</summary>
public static class StopCriterion
{
    public static string? Check(MaskSet next, IReadOnlyList<bool> prunable, double stopRatio) =>
        Check(next.ConnectedNodeFractions(), prunable, stopRatio);

    /// <param name="connected">Per linear layer, the fraction of its nodes that keep an incoming weight in the next mask.</param>
    public static string? Check(IReadOnlyList<double> connected, IReadOnlyList<bool> prunable, double stopRatio)
    {
        for (int l = 0; l < connected.Count; l++)
        {
            if (prunable[l] && connected[l] <= stopRatio)
            {
                return $"layer {l + 1}: only {connected[l]:P1} of its nodes keep an incoming weight (stop_ratio {stopRatio})";
            }
        }

        return null;
    }

    /// <summary>The procedure's own end, whatever the run's stop_ratio: a prunable layer with no node left connected.</summary>
    public static string? Disconnected(MaskSet next, IReadOnlyList<bool> prunable)
    {
        var connected = next.ConnectedNodeFractions();
        int layer = Enumerable.Range(0, connected.Count).FirstOrDefault(l => prunable[l] && connected[l] <= 0, -1);
        return layer < 0 ? null : $"layer {layer + 1}: no node keeps an incoming weight";
    }
}
