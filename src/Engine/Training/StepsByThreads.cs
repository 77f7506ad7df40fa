namespace Grid.Engine.Training;

/// <summary>How many steps a training ran with each libtorch thread count, for the count it reports
/// (<see cref="TrainingResult.Threads"/>): the one most of its steps used.</summary>
public sealed class StepsByThreads(int startThreads)
{
    private readonly Dictionary<int, int> _steps = [];

    /// <summary>Counts a step trained with <paramref name="threads"/> (null: no budget, the count it started with).</summary>
    public void Add(int? threads)
    {
        int count = threads ?? startThreads;
        _steps[count] = _steps.GetValueOrDefault(count) + 1;
    }

    /// <summary>The count most steps used (fewest threads on a tie); the start count before any step.</summary>
    public int Most => _steps.Count == 0 ? startThreads : _steps.OrderByDescending(s => s.Value).ThenBy(s => s.Key).First().Key;
}
