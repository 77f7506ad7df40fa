using Grid.Abstractions.Contracts;

namespace Grid.Abstractions.Grains;

/// <summary>Computes the requested analyses of one finished iteration (key: "sweep/run/iteration"), on any silo.</summary>
public interface IAnalysisGrain : IGrainWithStringKey
{
    Task<AnalysisSnapshot> Ensure(AnalysisRequest request);
}
