namespace Grid.Bench;

/// <summary>
/// The benchmarks' one-letter options are written <c>--u</c> and <c>--k</c> in the docs and scripts; Spectre.Console.Cli
/// takes one-letter names only as short options (<c>-u</c>, <c>-k</c>) and refuses <c>--u</c>. Each such word is passed
/// on as the short option it means, so those command lines keep working.
/// </summary>
public static class OneLetterOptions
{
    public static IReadOnlyList<string> Spell(IReadOnlyList<string> args) =>
        [.. args.Select(arg => arg.Length == 3 && arg.StartsWith("--", StringComparison.Ordinal) && char.IsAsciiLetter(arg[2]) ? arg[1..] : arg)];
}
