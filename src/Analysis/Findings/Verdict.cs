namespace Grid.Analysis.Findings;

/// <summary>How a measured number stands against its null model, by the thresholds of docs/findings.md.</summary>
public enum Verdict
{
    /// <summary>Beyond the null by the margin the paper's effect has.</summary>
    Seen,

    /// <summary>Beyond the null's noise, but small.</summary>
    Weak,

    /// <summary>Within the null's noise, or on the wrong side of it.</summary>
    NotSeen,

    /// <summary>The analysis it needs did not run, or does not apply (e.g. the dense network).</summary>
    NotMeasured,
}

public static class VerdictText
{
    /// <summary>The plain words of a verdict, as the report prints them.</summary>
    public static string Of(Verdict verdict) => verdict switch
    {
        Verdict.Seen => "seen",
        Verdict.Weak => "weak",
        Verdict.NotSeen => "not seen at this scale",
        _ => "not measured",
    };

    /// <summary>Snake case, for findings.json.</summary>
    public static string Key(Verdict verdict) => verdict switch
    {
        Verdict.Seen => "seen",
        Verdict.Weak => "weak",
        Verdict.NotSeen => "not_seen",
        _ => "not_measured",
    };
}
