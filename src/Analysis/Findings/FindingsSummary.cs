namespace Grid.Analysis.Findings;

/// <summary>What a set of runs shows of the paper's findings, in one or two sentences.</summary>
public static class FindingsSummary
{
    private static readonly (string Key, string Name)[] Order =
    [
        (AccuracyGain.Key, AccuracyGain.Name),
        (ConnectivityTail.Key, ConnectivityTail.Name),
        (LocalityAgainstNull.Key, LocalityAgainstNull.Name),
        (NodeRemovalOrder.Key, NodeRemovalOrder.Name),
    ];

    public static string Of(IReadOnlyList<RunFindings> runs)
    {
        var measured = runs.Where(r => r.PrimaryIteration is not null).ToList();
        if (measured.Count == 0)
        {
            return "No run has a pruned iteration yet: nothing to compare with the null models.";
        }

        string which = measured.Count == 1 ? "the run's best iteration" : $"the best iteration of each of the {measured.Count} runs";
        string gain = Counts(measured, AccuracyGain.Key, AccuracyGain.Name, accuracyGain: true);
        if (measured.All(r => r.IndistinguishableFromNull))
        {
            return $"At this scale the pruned masks are indistinguishable from the null models: at {which}, none of the paper's structural findings "
                + $"(a C^in tail beyond the binomial, local connectivity, the most connected nodes carrying the accuracy) is seen. {gain}";
        }

        var parts = Order.Where(o => o.Key != AccuracyGain.Key).Select(o => Counts(measured, o.Key, o.Name, accuracyGain: false)).ToList();
        return $"At {which}: {string.Join(" ", parts)} {gain}";
    }

    private static string Counts(IReadOnlyList<RunFindings> runs, string key, string name, bool accuracyGain)
    {
        var verdicts = runs
            .Select(r => (accuracyGain ? r.Findings.FirstOrDefault(f => f.Key == key) : r.Primary.FirstOrDefault(f => f.Key == key))?.Verdict ?? Verdict.NotMeasured)
            .ToList();
        string Count(Verdict v) => $"{VerdictText.Of(v)} in {verdicts.Count(x => x == v)}";
        var present = new[] { Verdict.Seen, Verdict.Weak, Verdict.NotSeen, Verdict.NotMeasured }.Where(v => verdicts.Contains(v)).ToList();
        string capitalised = char.ToUpperInvariant(name[0]) + name[1..];
        return runs.Count == 1
            ? $"{capitalised}: {VerdictText.Of(verdicts[0])}."
            : $"{capitalised}: {string.Join(", ", present.Select(Count))} of {runs.Count} runs.";
    }
}
