using Grid.Abstractions.Contracts;

namespace Grid.Abstractions.Grains;

/// <summary>
/// One pruning iteration of one run (key: "sweep/run/iteration"), placed only on silos with device slots.
/// Training runs on a worker thread; callers poll <see cref="Ensure"/>, which never waits for training.
/// </summary>
public interface IPruningIterationGrain : IGrainWithStringKey
{
    /// <summary>Starts the iteration if needed (a finished one is read back from disk) and returns its state at once.</summary>
    Task<IterationSnapshot> Ensure(IterationRequest request);

    Task<IterationSnapshot> Cancel();
}
