using Grid.Abstractions.Contracts;

namespace Grid.Abstractions.Grains;

/// <summary>Computes the requested analyses of one finished iteration (key: "sweep/run/iteration"), on any silo.</summary>
public interface IAnalysisGrain : IGrainWithStringKey
{
    /// <summary>Starts the analyses that are not done yet (if none is running) and returns the state at once; the grain
    /// reports to its run (<see cref="IPruningRunGrain.AnalysisChanged"/>) while it works and when it ends.</summary>
    Task<AnalysisSnapshot> Ensure(AnalysisRequest request);
}
