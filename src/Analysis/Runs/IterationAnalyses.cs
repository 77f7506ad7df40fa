using System.Diagnostics;
using Grid.Engine.Runs;
using Grid.Engine.Specs;
using Grid.Engine.Sweeps;

namespace Grid.Analysis.Runs;

/// <summary>
/// The registry of named analyses that the grid runs on finished iterations (a sweep's <c>analysis</c> list) and that
/// the sweep report shows. Each writes into &lt;run&gt;/analysis/iter-NNN/&lt;name&gt;… (per-run analyses into
/// &lt;run&gt;/analysis/), atomically, and records completion in &lt;name&gt;.done.json; a second call finds the record and
/// writes nothing. Analyses of the same iteration may run concurrently.
/// <list type="table">
/// <item><term>connectivity</term><description>C^in histograms of the prunable layers with the binomial reference; C^out,0 map</description></item>
/// <item><term>locality</term><description>S^sc, S^dc (colour inputs), S^sc by C^in,1 bins, one random node's S^sc, summary vs null models (JSON)</description></item>
/// <item><term>masks</term><description>30 most connected layer-1 masks, their masked weights, effective masks of layers 2+</description></item>
/// <item><term>node-removal</term><description>accuracy vs removed layer-1 nodes in both C^in,1 orders (loads the trained net)</description></item>
/// <item><term>activations</term><description>top-3 validation images of the 8 most connected layer-1 nodes (loads the trained net)</description></item>
/// <item><term>curves</term><description>training and validation error curves of the iteration</description></item>
/// <item><term>evolution</term><description>per run, after its last iteration: GIF of the most connected masks across iterations</description></item>
/// </list>
/// </summary>
public static class IterationAnalyses
{
    private static readonly IReadOnlyList<IIterationAnalysis> All =
    [
        new ConnectivityAnalysis(),
        new LocalityAnalysis(),
        new MasksAnalysis(),
        new NodeRemovalAnalysis(),
        new ActivationsAnalysis(),
        new CurvesAnalysis(),
        new EvolutionAnalysis(),
    ];

    private static readonly IReadOnlyDictionary<string, IIterationAnalysis> ByName =
        All.ToDictionary(a => a.Name, StringComparer.Ordinal);

    /// <summary>Every registered name, in the order the report shows them.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(a => a.Name)];

    /// <summary>
    /// What runs when a sweep's analysis list is empty, for datasets of CPU scale (MNIST, Fashion-MNIST, CIFAR-10):
    /// all of them. Use <see cref="DefaultFor"/> to get the list for a given experiment.
    /// </summary>
    public static IReadOnlyList<string> Default => Names;

    /// <summary>
    /// Analyses that read only the stored masks, weights and curves; cheap at any size (under a second for
    /// 784-128x3, a few seconds for the paper's 3072-1024x3).
    /// </summary>
    public static IReadOnlyList<string> FileOnly { get; } = [.. All.Where(a => !a.NeedsTrainedNetwork).Select(a => a.Name)];

    /// <summary>
    /// The default list for one experiment: <see cref="Default"/>, except that on ImageNet32/64 the analyses that load
    /// the trained network (node-removal, activations) are left out: the engine loads the whole training set with the
    /// network (3.9 GB for ImageNet32, ~15 GB for ImageNet64) into the analysing process, and node removal costs about
    /// 34 validation passes of the full network per iteration. Ask for them explicitly in the sweep's analysis list.
    /// </summary>
    public static IReadOnlyList<string> DefaultFor(ExperimentSpec spec) =>
        DatasetNames.IsImageNet(spec.Dataset.Name) ? FileOnly : Default;

    /// <summary>
    /// When the analyses run for a sweep's analysis list: an explicit list on every finished iteration; the defaults
    /// (<see cref="DefaultFor"/>, when the list is empty) on every iteration for the cheap ones and, for those that cost
    /// about an iteration's training (<see cref="IIterationAnalysis.EveryIterationByDefault"/> false), only on the
    /// iterations the report shows, the best and the last, once the run has trained; nothing for [none].
    /// </summary>
    public static (IReadOnlyList<string> EveryIteration, IReadOnlyList<string> ReportedIterations) ScheduleFor(IReadOnlyList<string> sweepAnalyses, ExperimentSpec spec)
    {
        if (sweepAnalyses.Count > 0)
        {
            return (ForSweep(sweepAnalyses, spec), []);
        }

        var defaults = DefaultFor(spec);
        return ([.. defaults.Where(n => Get(n).EveryIterationByDefault)], [.. defaults.Where(n => !Get(n).EveryIterationByDefault)]);
    }

    /// <summary>What runs for a sweep's analysis list: the list itself; <see cref="DefaultFor"/> when it is empty;
    /// nothing for [<see cref="SweepDefinition.NoAnalyses"/>].</summary>
    public static IReadOnlyList<string> ForSweep(IReadOnlyList<string> sweepAnalyses, ExperimentSpec spec) => sweepAnalyses switch
    {
        [] => DefaultFor(spec),
        [SweepDefinition.NoAnalyses] => [],
        _ => sweepAnalyses,
    };

    /// <summary>The analysis of that name; <see cref="ArgumentException"/> naming the known ones otherwise.</summary>
    public static IIterationAnalysis Get(string name) =>
        ByName.GetValueOrDefault(name ?? "") ?? throw new ArgumentException(
            $"unknown analysis '{name}'; known analyses: {string.Join(", ", Names)}", nameof(name));

    /// <summary>Whether <paramref name="name"/> is registered.</summary>
    public static bool IsKnown(string name) => ByName.ContainsKey(name);

    /// <summary>
    /// Runs one analysis of a finished iteration unless its complete outputs already exist, in the run directory or, for
    /// a run linked to the run store, beside the stored iteration (<see cref="SharedAnalyses"/>). Throws
    /// <see cref="ArgumentException"/> for an unknown name and <see cref="InvalidOperationException"/> when the iteration
    /// has not finished. Synchronous and CPU-bound: call it off any scheduler that must stay responsive.
    /// </summary>
    public static IterationAnalysisResult Run(string name, ExperimentSpec spec, string runDirectory, int iteration, CancellationToken cancellationToken)
    {
        IIterationAnalysis analysis = Get(name);
        cancellationToken.ThrowIfCancellationRequested();
        var clock = Stopwatch.StartNew();
        var input = IterationArtifacts.Open(spec, runDirectory, iteration);
        string run = input.Run.Path;
        if (analysis.Scope == AnalysisScope.Run && RunIntegrity.Check(run, IntegrityDepth.Full) is { Problem: { } problem } check
            && check.Valid.Count <= iteration)
        {
            throw new CorruptArtifactException(problem); // a per-run analysis reads every iteration up to this one
        }

        string directory = AnalysisLayout.DirectoryFor(analysis.Scope, run, iteration);
        string recordFile = AnalysisLayout.RecordFile(directory, analysis.Name);
        if (AnalysisRecord.ReadComplete(recordFile, run, analysis.Version) is { } existing
            && (analysis.Scope == AnalysisScope.Iteration ? existing.Iteration == iteration : existing.Iteration >= iteration))
        {
            return new IterationAnalysisResult(analysis.Name, iteration, AnalysisStatus.AlreadyDone, run, existing, clock.Elapsed);
        }
        if (analysis.NotApplicableReason(input) is { } reason)
        {
            return new IterationAnalysisResult(analysis.Name, iteration, AnalysisStatus.NotApplicable, run, null, clock.Elapsed, reason);
        }

        bool shared = analysis.Scope == AnalysisScope.Iteration;
        if (shared && SharedAnalyses.TakeStored(run, analysis.Name, analysis.Version, iteration) is { } stored)
        {
            return new IterationAnalysisResult(analysis.Name, iteration, AnalysisStatus.Shared, run, stored, clock.Elapsed);
        }

        var output = new AnalysisOutput(run, directory, analysis.Name);
        analysis.Write(input, output, cancellationToken);
        var record = new AnalysisRecord
        {
            Analysis = analysis.Name,
            Version = analysis.Version,
            Iteration = iteration,
            Completed = DateTimeOffset.UtcNow,
            Seconds = clock.Elapsed.TotalSeconds,
            Figures = output.Figures,
            DataFiles = output.DataFiles,
            Note = output.Note,
        };
        record.Save(recordFile);
        if (shared)
        {
            SharedAnalyses.Publish(run, record);
        }

        return new IterationAnalysisResult(analysis.Name, iteration, AnalysisStatus.Computed, run, record, clock.Elapsed, output.Note);
    }

    /// <summary>The stored record of an analysis, or null when it has not completed (no computation).</summary>
    public static AnalysisRecord? Find(string name, string runDirectory, int iteration)
    {
        IIterationAnalysis analysis = Get(name);
        string run = Path.GetFullPath(runDirectory);
        string directory = AnalysisLayout.DirectoryFor(analysis.Scope, run, iteration);
        return AnalysisRecord.ReadComplete(AnalysisLayout.RecordFile(directory, analysis.Name), run, analysis.Version);
    }
}
