using System.Collections.Concurrent;
using Grid.Engine.Runs;
using Grid.Engine.Specs;
using Grid.Grains.Training;

namespace Grid.Tests.Support;

/// <summary>One iteration of a bundle the simulated trainer trained.</summary>
public sealed record TrainedOrder(string RunDirectory, int Iteration, string Key);

/// <summary>
/// Stands in for the engine in grid tests: an iteration "trains" for training.steps milliseconds (reporting
/// progress, honouring cancellation), then writes iter-NNN/summary.json through the engine's own RunDirectory.
/// Like the engine, iterations run 0..pruning.max_iterations; u = (1 - rate)^iteration. Iterations of one shape
/// (hidden widths and steps) may bundle, up to <c>bundleMembers</c>; a bundle's members step in lockstep, each with its
/// own progress and cancellation (a cancelled or failed member leaves, the others go on). Every bundle is logged in
/// <see cref="Bundles"/>, its members in order.
/// </summary>
public sealed class SimulatedTrainer(int bundleMembers = 1) : IIterationTrainer
{
    /// <summary>Every bundle trained in this process (silos run in-process, so the log is shared).</summary>
    public static readonly ConcurrentQueue<IReadOnlyList<TrainedOrder>> Bundles = new();

    /// <summary>A member whose run directory contains a key fails halfway through the iteration given as its value
    /// (permanently: an <see cref="InvalidOperationException"/>), while the other members of its bundle go on.</summary>
    public static readonly ConcurrentDictionary<string, int> FailHalfway = new(StringComparer.Ordinal);

    public static IReadOnlyList<IReadOnlyList<TrainedOrder>> BundlesOf(string sweepDirectoryPart) =>
        [.. Bundles.Where(b => b.Any(o => o.RunDirectory.Contains(sweepDirectoryPart, StringComparison.Ordinal)))];

    public IterationOutcome? ReadFinished(string runDirectory, int iteration) =>
        Directory.Exists(runDirectory) ? new RunDirectory(runDirectory).ReadOutcome(iteration) : null;

    public string BundleKey(ExperimentSpec spec) => $"{string.Join('x', spec.Network.Hidden)}/{spec.Training.Steps}";

    public int BundleMembers(ExperimentSpec spec, TrainingSlot slot) => bundleMembers;

    public IReadOnlyList<IterationAttempt> TrainBundle(IReadOnlyList<IterationOrder> orders, TrainingSlot slot)
    {
        if (orders.Select(o => BundleKey(o.Spec)).Distinct().Count() > 1)
        {
            throw new ArgumentException("a bundle of iterations of different shapes: " + string.Join(", ", orders.Select(o => BundleKey(o.Spec))));
        }

        Bundles.Enqueue([.. orders.Select(o => new TrainedOrder(o.RunDirectory, o.Iteration, BundleKey(o.Spec)))]);
        var members = orders.Select(order => new Member(order)).ToList();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int longest = orders.Max(o => o.Spec.Training.Steps);
        for (int step = 0; step < longest; step += 10)
        {
            var active = members.Where(m => m.Attempt is null && step < m.Order.Spec.Training.Steps).ToList();
            if (active.Count == 0)
            {
                break;
            }

            Thread.Sleep(10);
            active.ForEach(m => m.Step(step + 10, clock.Elapsed));
        }

        members.ForEach(m => m.Finish(clock.Elapsed));
        return [.. members.Select(m => m.Attempt!)];
    }

    /// <summary>One member of a bundle; its failure (or cancellation) ends it alone.</summary>
    private sealed class Member
    {
        private readonly RunDirectory _run;
        private readonly double _u;

        public Member(IterationOrder order)
        {
            Order = order;
            _run = new RunDirectory(order.RunDirectory);
            _u = Math.Pow(1 - order.Spec.Pruning.Rate, order.Iteration);
            Try(() =>
            {
                _run.Claim(order.Spec);
                if (order.Iteration > 0 && _run.ReadOutcome(order.Iteration - 1) is null)
                {
                    throw new InvalidOperationException($"iteration {order.Iteration} before {order.Iteration - 1} finished");
                }
            });
        }

        public IterationOrder Order { get; }

        public IterationAttempt? Attempt { get; private set; }

        public void Step(int step, TimeSpan elapsed) => Try(() =>
        {
            Order.Cancellation.ThrowIfCancellationRequested();
            if (step > Order.Spec.Training.Steps / 2
                && FailHalfway.Any(f => f.Value == Order.Iteration && Order.RunDirectory.Contains(f.Key, StringComparison.Ordinal)))
            {
                throw new InvalidOperationException($"simulated divergence of iteration {Order.Iteration} at step {step}");
            }

            Order.Progress?.Report(new TrainingProgress(Order.Iteration, step, Order.Spec.Training.Steps, 1.0 / step, 0.5, 0.5, _u, elapsed));
        });

        public void Finish(TimeSpan elapsed) => Try(() =>
        {
            Order.Cancellation.ThrowIfCancellationRequested();
            var spec = Order.Spec;
            bool last = Order.Iteration >= spec.Pruning.MaxIterations;
            var outcome = new IterationOutcome
            {
                Iteration = Order.Iteration,
                UnprunedFraction = _u,
                LayerUnprunedFractions = [.. spec.Network.Hidden.Select(_ => _u), 1.0],
                BestValAccuracy = 0.8 + 0.01 * Order.Iteration + 0.001 * spec.Seed,
                BestValTop5 = 0.95,
                BestStep = spec.Training.Steps,
                FinalTrainLoss = 0.1,
                TrainSeconds = elapsed.TotalSeconds,
                IsLast = last,
                StopReason = last ? "max_iterations" : null,
                Files = [], // it writes no artifact files, and records so (results without a record are checked for the engine's)
            };
            _run.WriteOutcome(outcome);
            Attempt = new IterationAttempt(outcome, null);
        });

        private void Try(Action work)
        {
            if (Attempt is not null)
            {
                return;
            }

            try
            {
                work();
            }
            catch (Exception error)
            {
                Attempt = new IterationAttempt(null, error);
            }
        }
    }
}
