using System.Diagnostics;
using Grid.Engine.Runtime;
using Grid.Grains.Analysis;
using Grid.Grains.Training;

namespace Grid.Tests.Analysis;

/// <summary>
/// Analyses in the idle scheduling class beside other processes that keep every core busy (here: spinning threads at
/// normal priority, one per core): without training on the silo, a starving analysis leaves the idle class and
/// finishes; while the silo trains, it stays in the idle class (analyses yield to training).
/// </summary>
public sealed class StarvationRescueTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task An_analysis_starved_by_other_processes_leaves_the_idle_class_until_it_ends()
    {
        var messages = new List<string>();
        using var rescue = new StarvationRescue(Window, nice: 10, trainingRuns: () => false, log: m => { lock (messages) { messages.Add(m); } });
        using var analysis = new WorkerThreads(1, "starved-analysis", _ => ThreadNiceness.UseIdleClassForCurrentThread());
        using (Spinners.OnEveryCore())
        {
            bool raised = await analysis.Run(() => rescue.Watch(() => WaitUntil(() => !ThreadNiceness.CurrentThreadIsIdleClass())));
            Assert.True(raised, "the starving analysis was never raised out of the idle class");
        }

        Assert.True(await analysis.Run(ThreadNiceness.CurrentThreadIsIdleClass), "the analysis thread went back to the idle class");
        Assert.Contains(messages, m => m.Contains("leaves the idle class at nice 10", StringComparison.Ordinal));
    }

    [Fact]
    public async Task While_the_silo_trains_an_analysis_stays_in_the_idle_class()
    {
        using var rescue = new StarvationRescue(Window, nice: 10, trainingRuns: () => true, log: _ => { });
        using var analysis = new WorkerThreads(1, "yielding-analysis", _ => ThreadNiceness.UseIdleClassForCurrentThread());
        using (Spinners.OnEveryCore())
        {
            bool idle = await analysis.Run(() => rescue.Watch(() => WaitUntil(() => rescue.Checks >= 3) && ThreadNiceness.CurrentThreadIsIdleClass()));
            Assert.True(idle);
        }
    }

    /// <summary>Polls on the analysis thread (the test's only bound: a machine that never schedules it at all).</summary>
    private static bool WaitUntil(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(3))
        {
            if (condition())
            {
                return true;
            }

            Thread.Sleep(10);
        }

        return false;
    }

    private sealed class Spinners : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly List<Thread> _threads = [];

        public static Spinners OnEveryCore()
        {
            var spinners = new Spinners();
            for (int i = 0; i < Environment.ProcessorCount; i++)
            {
                var thread = new Thread(() =>
                {
                    while (!spinners._stop.IsCancellationRequested)
                    {
                        Thread.SpinWait(1000);
                    }
                }) { IsBackground = true, Name = $"spinner {i}" };
                spinners._threads.Add(thread);
                thread.Start();
            }

            return spinners;
        }

        public void Dispose()
        {
            _stop.Cancel();
            _threads.ForEach(t => t.Join());
            _stop.Dispose();
        }
    }
}
