using System.Globalization;

namespace Grid.Analysis.Findings;

/// <summary>
/// One of the paper's findings, measured on one iteration of one run: the number, its null model, and the verdict the
/// thresholds of docs/findings.md give. <see cref="Numbers"/> holds every figure the sentence quotes, for findings.json.
/// </summary>
public sealed record Finding
{
    /// <summary>accuracy-gain, cin-tail, locality or node-removal.</summary>
    public required string Key { get; init; }

    /// <summary>The finding in a few words, e.g. "local connectivity".</summary>
    public required string Name { get; init; }

    /// <summary>Where the paper shows it, e.g. "Fig. 2".</summary>
    public required string Figure { get; init; }

    public required int Iteration { get; init; }
    public required double UnprunedFraction { get; init; }

    /// <summary>The measured number against its null, in words.</summary>
    public required string Measured { get; init; }

    public required Verdict Verdict { get; init; }

    public IReadOnlyDictionary<string, double> Numbers { get; init; } = new Dictionary<string, double>();

    /// <summary>E.g. "local connectivity at u = 1%: mean S^sc distance 0.96x the degree-preserving null — not seen at this scale".</summary>
    public string Line => $"{Name} at u = {Percent(UnprunedFraction)}: {Measured} — {VerdictText.Of(Verdict)}";

    /// <summary>A fraction in percent to three significant digits: "34.3 %", "1.02 %", "0.232 %".</summary>
    public static string Percent(double fraction) => (100 * fraction).ToString("G3", CultureInfo.InvariantCulture) + " %";

    /// <summary>A probability: "0.117", or "3.2E-07" below 0.001.</summary>
    internal static string Probability(double p) =>
        p >= 0.001 || p == 0 ? p.ToString("0.###", CultureInfo.InvariantCulture) : p.ToString("0.0E+00", CultureInfo.InvariantCulture);

    internal static string Number(double value, string format = "0.##") => value.ToString(format, CultureInfo.InvariantCulture);

    internal static Finding NotMeasured(string key, string name, string figure, int iteration, double u, string why) => new()
    {
        Key = key,
        Name = name,
        Figure = figure,
        Iteration = iteration,
        UnprunedFraction = u,
        Measured = why,
        Verdict = Verdict.NotMeasured,
    };
}
