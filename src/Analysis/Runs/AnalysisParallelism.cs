namespace Grid.Analysis.Runs;

/// <summary>
/// How many threads an analysis's parallel loops may use on the calling thread: unlimited by default; an analysis
/// thread of a silo limits itself to one so that analyses stay inside their thread budget (thread-pool threads would
/// run at normal priority beside training).
/// </summary>
public static class AnalysisParallelism
{
    [ThreadStatic]
    private static int t_maxDegree;

    /// <summary>Limits parallel loops started on this thread to <paramref name="threads"/> threads.</summary>
    public static void LimitCurrentThread(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        t_maxDegree = threads;
    }

    /// <summary>Options for <see cref="Parallel"/> loops under this thread's limit.</summary>
    public static ParallelOptions Options => new() { MaxDegreeOfParallelism = t_maxDegree > 0 ? t_maxDegree : -1 };
}
