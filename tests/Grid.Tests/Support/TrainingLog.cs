using System.Collections.Concurrent;
using Grid.Engine.Runs;
using Grid.Engine.Specs;
using Grid.Grains.Training;

namespace Grid.Tests.Support;

/// <summary>One iteration handed to <see cref="IIterationTrainer.TrainBundle"/>: where, what, and how it ended.</summary>
public sealed record TrainingRecord(string Silo, string RunDirectory, int Iteration, string Device = "cpu")
{
    public volatile string Result = "running";
}

/// <summary>
/// Wraps a trainer on every test silo and records each training (silos run in-process, so the log is shared).
/// A gate can hold a training until it is cancelled (the silo stops) to test failures mid-iteration.
/// </summary>
public sealed class RecordingTrainer(string silo, IIterationTrainer inner) : IIterationTrainer
{
    public static readonly ConcurrentQueue<TrainingRecord> Log = new();

    /// <summary>Called before each training; a gate may block (honouring the token) or throw.</summary>
    public static readonly ConcurrentDictionary<string, Action<TrainingRecord, CancellationToken>> Gates = new();

    public static IReadOnlyList<TrainingRecord> For(string sweepDirectoryPart) =>
        [.. Log.Where(r => r.RunDirectory.Contains(sweepDirectoryPart, StringComparison.Ordinal))];

    public IterationOutcome? ReadFinished(string runDirectory, int iteration) => inner.ReadFinished(runDirectory, iteration);

    public string BundleKey(ExperimentSpec spec) => inner.BundleKey(spec);

    public int BundleMembers(ExperimentSpec spec, TrainingSlot slot) => inner.BundleMembers(spec, slot);

    /// <summary>Records every member, passes each through the gates (a gate that throws fails that member alone), trains the rest.</summary>
    public IReadOnlyList<IterationAttempt> TrainBundle(IReadOnlyList<IterationOrder> orders, TrainingSlot slot)
    {
        var records = orders.Select(order => new TrainingRecord(silo, order.RunDirectory, order.Iteration, slot.Device)).ToList();
        records.ForEach(Log.Enqueue);
        var attempts = new IterationAttempt?[orders.Count];
        var passed = new List<int>();
        for (int i = 0; i < orders.Count; i++)
        {
            try
            {
                foreach (var (key, gate) in Gates)
                {
                    if (orders[i].RunDirectory.Contains(key, StringComparison.Ordinal))
                    {
                        gate(records[i], orders[i].Cancellation);
                    }
                }

                passed.Add(i);
            }
            catch (Exception error)
            {
                attempts[i] = new IterationAttempt(null, error);
            }
        }

        if (passed.Count > 0)
        {
            var trained = inner.TrainBundle([.. passed.Select(i => orders[i])], slot);
            for (int p = 0; p < passed.Count; p++)
            {
                attempts[passed[p]] = trained[p];
            }
        }

        for (int i = 0; i < orders.Count; i++)
        {
            records[i].Result = attempts[i]!.Outcome is not null ? "finished"
                : orders[i].Cancellation.IsCancellationRequested ? "cancelled"
                : "failed: " + attempts[i]!.Failure!.Message;
        }

        return [.. attempts.Select(a => a!)];
    }
}
