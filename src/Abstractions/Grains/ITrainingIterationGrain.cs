using Grid.Abstractions.Contracts;

namespace Grid.Abstractions.Grains;

/// <summary>
/// Trains one iteration of one run (key: "sweep/run/iteration") and cuts its next mask, placed only on silos with
/// device slots. Training runs on its silo's training worker, alone or in a bundle with iterations of other runs of the
/// same shape. Its run commands it (<see cref="Ensure"/>, <see cref="Cancel"/>: neither waits for training) and it reports
/// its state back to the run (<see cref="IPruningRunGrain.IterationChanged"/>); the run asks again only when it has not
/// heard from it for a while.
/// </summary>
public interface ITrainingIterationGrain : IGrainWithStringKey
{
    /// <summary>Starts the iteration if needed (a finished one is read back from disk) and returns its state at once;
    /// from then on the iteration reports to its run (<see cref="IPruningRunGrain.IterationChanged"/>).</summary>
    Task<IterationSnapshot> Ensure(IterationRequest request);

    Task<IterationSnapshot> Cancel();
}
