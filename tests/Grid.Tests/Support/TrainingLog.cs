using System.Collections.Concurrent;
using Grid.Engine.Runs;
using Grid.Engine.Specs;
using Grid.Grains.Training;

namespace Grid.Tests.Support;

/// <summary>One call of <see cref="IIterationTrainer.Train"/>: where, what, and how it ended.</summary>
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

    public IterationOutcome Train(ExperimentSpec spec, string runDirectory, int iteration, TrainingSlot slot, IProgress<TrainingProgress> progress, CancellationToken cancellationToken)
    {
        var record = new TrainingRecord(silo, runDirectory, iteration, slot.Device);
        Log.Enqueue(record);
        try
        {
            foreach (var (key, gate) in Gates)
            {
                if (runDirectory.Contains(key, StringComparison.Ordinal))
                {
                    gate(record, cancellationToken);
                }
            }

            var outcome = inner.Train(spec, runDirectory, iteration, slot, progress, cancellationToken);
            record.Result = "finished";
            return outcome;
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            record.Result = "cancelled";
            throw;
        }
        catch (Exception error)
        {
            record.Result = "failed: " + error.Message;
            throw;
        }
    }
}
