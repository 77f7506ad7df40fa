using System.Globalization;

namespace Grid.Bench;

/// <summary>
/// Reads the text of an option's value as its <see cref="OptionKind"/> says; text it cannot take gives a
/// <see cref="BenchArgumentException"/> naming the option, the text and the reason.
/// </summary>
public static class OptionValues
{
    /// <summary>Checks <paramref name="text"/> as a value of <paramref name="option"/> (what the command line is checked with).</summary>
    public static void Check(BenchOption option, string text)
    {
        if (option.Kind is OptionKind.Integer or OptionKind.Density or OptionKind.Choice && text.Contains(',', StringComparison.Ordinal))
        {
            throw new BenchArgumentException($"{option.Name}: takes one value, not a list ('{text}')");
        }

        switch (option.Kind)
        {
            case OptionKind.Integer or OptionKind.Integers:
                Integers(option, text);
                break;
            case OptionKind.Density or OptionKind.Densities:
                Densities(option, text);
                break;
            case OptionKind.Choice or OptionKind.Choices:
                Choices(option, text);
                break;
        }
    }

    public static int[] Integers(BenchOption option, string text) => [.. Items(text).Select(item => Integer(option, item))];

    public static double[] Densities(BenchOption option, string text) => [.. Items(text).Select(item => Density(option, item))];

    public static string[] Choices(BenchOption option, string text) => [.. Items(text).Select(item => Choice(option, item))];

    private static string[] Items(string text) => text.Split(',');

    private static int Integer(BenchOption option, string item)
    {
        if (!int.TryParse(item, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
        {
            throw new BenchArgumentException(long.TryParse(item, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)
                ? $"{option.Name}: {item} is too large"
                : $"{option.Name}: '{item}' is not an integer");
        }

        return value >= option.Minimum ? value : throw new BenchArgumentException($"{option.Name}: must be at least {option.Minimum}, not {value}");
    }

    private static double Density(BenchOption option, string item)
    {
        if (!double.TryParse(item, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
        {
            throw new BenchArgumentException($"{option.Name}: '{item}' is not a number");
        }

        return value is > 0 and <= 1 ? value : throw new BenchArgumentException($"{option.Name}: a density is in (0, 1], not {item}");
    }

    private static string Choice(BenchOption option, string item) =>
        option.Allowed.Contains(item) ? item : throw new BenchArgumentException($"{option.Name}: '{item}' is not one of {string.Join(", ", option.Allowed)}");
}
