using Grid.Abstractions.Contracts;

namespace Grid.Abstractions.Grains;

/// <summary>
/// Trains one iteration of one run (key: "sweep/run/iteration") and cuts its next mask, placed only on silos with
/// device slots. Training runs on its silo's training worker, alone or in a bundle with iterations of other runs of the
/// same shape; callers poll <see cref="Ensure"/>, which never waits for training.
/// </summary>
public interface ITrainingIterationGrain : IGrainWithStringKey
{
    /// <summary>Starts the iteration if needed (a finished one is read back from disk) and returns its state at once.</summary>
    Task<IterationSnapshot> Ensure(IterationRequest request);

    Task<IterationSnapshot> Cancel();
}
