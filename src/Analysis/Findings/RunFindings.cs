using Grid.Analysis.Observables;
using Grid.Analysis.Runs;
using Grid.Engine.Runs;
using Grid.Engine.Specs;

namespace Grid.Analysis.Findings;

/// <summary>
/// The paper's findings measured on one run: the accuracy gain at its best iteration, and the C^in tail, local
/// connectivity and node-removal findings at each given iteration whose first layer is pruned (from the mask and the
/// outputs of the locality and node-removal analyses; a finding whose analysis has not run is "not measured").
/// <see cref="PrimaryIteration"/> is the one the paper would look at: the best iteration, or the last when the best is
/// the dense network.
/// </summary>
public sealed record RunFindings(IReadOnlyList<Finding> Findings, int? PrimaryIteration)
{
    public static readonly IReadOnlyList<string> StructuralKeys = [ConnectivityTail.Key, LocalityAgainstNull.Key, NodeRemovalOrder.Key];

    public static RunFindings Evaluate(ExperimentSpec spec, string runDirectory, IReadOnlyList<IterationOutcome> outcomes, IReadOnlyList<int> iterations)
    {
        if (outcomes.Count == 0)
        {
            return new RunFindings([], null);
        }

        var findings = new List<Finding>();
        var best = outcomes.MaxBy(o => o.BestValAccuracy)!;
        if (outcomes.FirstOrDefault(o => o.Iteration == 0) is { } dense)
        {
            findings.Add(AccuracyGain.Evaluate(best.Iteration, best.UnprunedFraction, best.BestValAccuracy, dense.BestValAccuracy, spec.Dataset.ValSize));
        }

        var run = new RunDirectory(runDirectory);
        var pruned = iterations
            .Select(i => outcomes.FirstOrDefault(o => o.Iteration == i))
            .OfType<IterationOutcome>()
            .Where(o => FirstLayerU(o) < 1)
            .OrderBy(o => o.Iteration)
            .ToList();
        foreach (var outcome in pruned)
        {
            findings.AddRange(Structural(spec, run, outcome));
        }

        int? primary = pruned.Any(o => o.Iteration == best.Iteration) ? best.Iteration : pruned.LastOrDefault()?.Iteration;
        return new RunFindings(findings, primary);
    }

    /// <summary>The iteration the paper would look at: the best, or the last when the best is the dense network; null
    /// when no iteration has a pruned first layer.</summary>
    public static int? PrimaryOf(IReadOnlyList<IterationOutcome> outcomes)
    {
        if (outcomes.Count == 0)
        {
            return null;
        }

        var best = outcomes.MaxBy(o => o.BestValAccuracy)!;
        return FirstLayerU(best) < 1 ? best.Iteration : FirstLayerU(outcomes[^1]) < 1 ? outcomes[^1].Iteration : null;
    }

    /// <summary>The structural findings at the primary iteration.</summary>
    public IReadOnlyList<Finding> Primary =>
        [.. Findings.Where(f => f.Iteration == PrimaryIteration && StructuralKeys.Contains(f.Key))];

    /// <summary>Whether every structural finding measured at the primary iteration is within its null's noise.</summary>
    public bool IndistinguishableFromNull =>
        Primary.Any(f => f.Verdict != Verdict.NotMeasured) && Primary.All(f => f.Verdict is Verdict.NotSeen or Verdict.NotMeasured);

    /// <summary>One sentence on the structural findings at the primary iteration.</summary>
    public string Headline
    {
        get
        {
            if (PrimaryIteration is null)
            {
                return "no pruned iteration yet: nothing to compare with the null models";
            }

            var measured = Primary.Where(f => f.Verdict != Verdict.NotMeasured).ToList();
            string at = $"iteration {PrimaryIteration} (u = {Finding.Percent(Primary.FirstOrDefault()?.UnprunedFraction ?? double.NaN)})";
            if (measured.Count == 0)
            {
                return $"at {at} no structural finding was measured (the locality and node-removal analyses did not run)";
            }

            if (IndistinguishableFromNull)
            {
                return $"at {at} the masks are indistinguishable from the null models: none of the paper's structural findings is seen";
            }

            var parts = new[] { Verdict.Seen, Verdict.Weak, Verdict.NotSeen }
                .Select(v => (Verdict: v, Names: measured.Where(f => f.Verdict == v).Select(f => f.Name).ToList()))
                .Where(p => p.Names.Count > 0)
                .Select(p => $"{VerdictText.Of(p.Verdict)}: {string.Join(", ", p.Names)}");
            return $"at {at}, {string.Join("; ", parts)}";
        }
    }

    private static double FirstLayerU(IterationOutcome outcome) =>
        outcome.LayerUnprunedFractions.Count > 0 ? outcome.LayerUnprunedFractions[0] : outcome.UnprunedFraction;

    private static IEnumerable<Finding> Structural(ExperimentSpec spec, RunDirectory run, IterationOutcome outcome)
    {
        int iteration = outcome.Iteration;
        double u = FirstLayerU(outcome);
        var mask = MaskArchive.LoadMask(run.MaskFile(iteration), 0);
        yield return ConnectivityTail.Evaluate(iteration, u, Connectivity.InputConnectivity(mask), mask.Inputs);

        yield return IterationAnalyses.Find("locality", run.Path, iteration) is { } locality
            && locality.DataFiles.FirstOrDefault(f => f.EndsWith("locality-summary.json", StringComparison.Ordinal)) is { } summary
            ? LocalityAgainstNull.FromFile(iteration, u, Path.Combine(run.Path, summary))
            : Finding.NotMeasured(LocalityAgainstNull.Key, LocalityAgainstNull.Name, LocalityAgainstNull.Figure, iteration, u, "the locality analysis has not run on this iteration");

        yield return IterationAnalyses.Find("node-removal", run.Path, iteration) is { Figures: [var curves, ..] }
            ? NodeRemovalOrder.Evaluate(iteration, u, NodeRemovalOrder.Read(Path.Combine(run.Path, curves.Data)), outcome.BestValAccuracy, spec.Dataset.ValSize)
            : Finding.NotMeasured(NodeRemovalOrder.Key, NodeRemovalOrder.Name, NodeRemovalOrder.Figure, iteration, u, "the node-removal analysis has not run on this iteration");
    }
}
