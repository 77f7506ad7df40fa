using Grid.Analysis.Runs;
using Grid.Engine.Runs;
using Grid.Engine.Specs;
using Grid.Engine.Sweeps;
using Grid.Grains.Failures;
using Grid.Grains.Training;

namespace Grid.Grains.Sweeps;

/// <summary>Builds run requests and disk-derived run statuses from a sweep manifest.</summary>
public static class SweepRuns
{
    public static SweepInfo Info(SweepManifest manifest) => new()
    {
        Hash = manifest.Hash,
        Name = manifest.Name,
        Directory = manifest.Directory,
        RunCount = manifest.Runs.Count,
        Axes = manifest.Axes,
        Analysis = manifest.Analysis,
        Created = manifest.Created,
    };

    /// <summary>One request per manifest run, in order; runs whose spec cannot be rebuilt get an error instead.
    /// An empty <paramref name="analysis"/> list means the analysis library's defaults for each run, [none] no analyses.</summary>
    public static IReadOnlyList<(ManifestRun Run, RunRequest? Request, string? Error)> Requests(
        SweepManifest manifest, IReadOnlyList<RunPlan> plans, IReadOnlyList<string> analysis)
    {
        var byHash = plans.ToDictionary(p => p.Hash, StringComparer.Ordinal);
        return
        [
            .. manifest.Runs.Select(run => byHash.TryGetValue(run.Hash, out var plan)
                ? (run, Request(manifest, run, plan, analysis), (string?)null)
                : (run, (RunRequest?)null, "the run's specification can no longer be rebuilt from sweep.json (engine defaults changed?)")),
        ];
    }

    private static RunRequest Request(SweepManifest manifest, ManifestRun run, RunPlan plan, IReadOnlyList<string> analysis)
    {
        var (everyIteration, reported) = IterationAnalyses.ScheduleFor(analysis, plan.Spec);
        return new RunRequest
        {
            SweepHash = manifest.Hash,
            SweepDirectory = manifest.Directory,
            RunHash = run.Hash,
            RunIndex = run.Index,
            RunDirectory = run.Directory,
            SpecJson = SpecJson.Canonical(plan.Spec),
            Analysis = everyIteration,
            ReportedAnalysis = reported,
            EstimatedIterations = run.EstimatedIterations,
            Values = run.Values,
        };
    }

    /// <summary>What the results store says about a run (no grain involved): its finished iterations (checked quickly:
    /// every recorded file present with its size), a recorded failure, and the first iteration that does not verify.</summary>
    public static RunStatus FromDisk(ManifestRun run, string runDirectory, bool cancelled)
    {
        var check = RunIntegrity.Check(runDirectory, IntegrityDepth.Quick);
        var failure = Directory.Exists(runDirectory) ? RunFailureFile.Read(runDirectory) : null;
        var outcomes = check.Valid;
        bool finished = outcomes is [.., { IsLast: true }] && check.Problem is null;
        return new RunStatus
        {
            Index = run.Index,
            RunHash = run.Hash,
            Values = run.Values,
            State = finished ? RunState.Finished : failure is not null ? RunState.Failed : cancelled ? RunState.Cancelled : RunState.Pending,
            FinishedIterations = outcomes.Count,
            EstimatedIterations = finished ? outcomes.Count : Math.Max(run.EstimatedIterations, outcomes.Count + 1),
            AnalysesPending = 0,
            Last = outcomes.Count > 0 ? outcomes[^1].ToResult() : null,
            Error = finished ? null : failure?.Describe(),
            Warnings = check.Problem is { } problem
                ? [$"{SweepIntegrity.Describe(run, problem)}; it is set aside and trained again (with every later iteration) when the sweep runs"]
                : [],
            Best = IterationResults.Best(outcomes.Select(o => o.ToResult())),
        };
    }

    /// <summary>The reason column of summary.csv for a run's pending row: why it failed, or what did not verify.</summary>
    public static string? Reason(RunStatus status) =>
        status.State == RunState.Finished ? null : status.Error ?? (status.Warnings.Count > 0 ? status.Warnings[^1] : null);

    public static string? PendingLabel(RunStatus status) => status.State switch
    {
        RunState.Finished => null,
        RunState.Queued => "queued",
        RunState.Training => "training",
        RunState.Failed => "failed",
        RunState.Cancelled => "cancelled",
        RunState.Analysing => null,
        _ => "pending",
    };
}
