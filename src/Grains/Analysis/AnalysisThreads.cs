using Grid.Analysis.Runs;
using Grid.Engine.Runtime;
using Grid.Grains.Hosting;
using Grid.Grains.Training;

namespace Grid.Grains.Analysis;

/// <summary>
/// Where a silo computes analyses: <see cref="GridOptions.AnalysisThreadCount"/> long-lived threads in Linux's idle
/// scheduling class (<see cref="GridOptions.AnalysisIdleClass"/>; else at nice <see cref="GridOptions.AnalysisNice"/>),
/// each with one libtorch thread and no parallel loops of its own, so that an analysis uses at most one core and only
/// what training leaves (measured in docs/throughput.md: on the thread pool with libtorch's default threads, analyses
/// made every training iteration 2-3x slower). An analysis that starves in the idle class while this silo trains
/// nothing leaves it until it ends (<see cref="StarvationRescue"/>, <see cref="GridOptions.AnalysisStarvedSeconds"/>).
/// </summary>
public sealed class AnalysisThreads : IDisposable
{
    private readonly WorkerThreads _threads;
    private readonly StarvationRescue? _rescue;

    public AnalysisThreads(IOptions<GridOptions> options, TrainingWorker training, ILogger<AnalysisThreads> logger)
    {
        if (options.Value.AnalysisIdleClass && options.Value.AnalysisStarvedSeconds > 0)
        {
            _rescue = new StarvationRescue(TimeSpan.FromSeconds(options.Value.AnalysisStarvedSeconds), Math.Clamp(options.Value.AnalysisNice, 0, 19),
                () => training.Busy > 0, message => logger.LogWarning("Analysis threads: {Message}", message));
        }

        int nice = Math.Clamp(options.Value.AnalysisNice, 0, 19);
        _threads = new WorkerThreads(options.Value.AnalysisThreadCount, "grid-analysis", _ =>
        {
            try
            {
                ThreadNiceness.SetForCurrentThread(nice);
                if (options.Value.AnalysisIdleClass)
                {
                    ThreadNiceness.UseIdleClassForCurrentThread();
                }
            }
            catch (InvalidOperationException error)
            {
                logger.LogWarning("Analysis thread keeps a higher priority: {Reason}", error.Message);
            }

            AnalysisParallelism.LimitCurrentThread(1);
            TorchThreads.UseOnCurrentThread(1);
        });
    }

    /// <summary>Runs <paramref name="work"/> on an analysis thread (queued while all are busy).</summary>
    public Task<T> Run<T>(Func<T> work) => _rescue is { } rescue ? _threads.Run(() => rescue.Watch(work)) : _threads.Run(work);

    public void Dispose()
    {
        _rescue?.Dispose();
        _threads.Dispose();
    }
}
