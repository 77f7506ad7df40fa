using System.Globalization;
using Spectre.Console;

namespace Grid.Bench.Commands;

/// <summary>
/// The values of benchmark options, typed as text: whole numbers, densities in (0, 1] and names from a fixed set, one or
/// a comma-separated list. Settings keep numbers as text and check them here in <c>Validate()</c>, because Spectre's own
/// conversion error ("Failed to convert 'x' to Int32") does not name the option. Each check returns the problem, naming
/// the option, or null; the readers take text that passed its check.
/// </summary>
public static class OptionValues
{
    /// <summary>The first problem of a command line, or success.</summary>
    public static ValidationResult FirstProblem(params string?[] problems) =>
        problems.FirstOrDefault(p => p is not null) is { } problem ? ValidationResult.Error(problem) : ValidationResult.Success();

    public static string? CheckInteger(string option, string? text, int minimum = 1) => NotAList(option, text) ?? CheckIntegers(option, text, minimum);

    public static string? CheckIntegers(string option, string? text, int minimum = 1) =>
        text is null ? null : Items(text).Select(item => IntegerProblem(option, item, minimum)).FirstOrDefault(p => p is not null);

    public static string? CheckDensity(string option, string? text) => NotAList(option, text) ?? CheckDensities(option, text);

    public static string? CheckDensities(string option, string? text) =>
        text is null ? null : Items(text).Select(item => DensityProblem(option, item)).FirstOrDefault(p => p is not null);

    public static string? CheckChoice(string option, string? text, IReadOnlyList<string> allowed) => NotAList(option, text) ?? CheckChoices(option, text, allowed);

    public static string? CheckChoices(string option, string? text, IReadOnlyList<string> allowed) =>
        text is null ? null : Items(text).Where(item => !allowed.Contains(item)).Select(item => $"{option}: '{item}' is not one of {string.Join(", ", allowed)}").FirstOrDefault();

    /// <summary>An option that would be ignored without another one.</summary>
    public static string? CheckOnlyWith(string option, bool given, string needed, bool neededGiven) =>
        given && !neededGiven ? $"{option} applies only with {needed}" : null;

    public static int Integer(string text) => int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);

    public static int[] Integers(string text) => [.. Items(text).Select(Integer)];

    public static double Density(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    public static double[] Densities(string text) => [.. Items(text).Select(Density)];

    public static string[] Items(string text) => text.Split(',');

    private static string? NotAList(string option, string? text) =>
        text is not null && text.Contains(',', StringComparison.Ordinal) ? $"{option}: takes one value, not a list ('{text}')" : null;

    private static string? IntegerProblem(string option, string item, int minimum)
    {
        if (!int.TryParse(item, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
        {
            return long.TryParse(item, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) ? $"{option}: {item} is too large" : $"{option}: '{item}' is not an integer";
        }

        return value >= minimum ? null : $"{option}: must be at least {minimum}, not {value}";
    }

    private static string? DensityProblem(string option, string item)
    {
        if (!double.TryParse(item, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
        {
            return $"{option}: '{item}' is not a number";
        }

        return value is > 0 and <= 1 ? null : $"{option}: a density is in (0, 1], not {item}";
    }
}
