using System.Globalization;
using Grid.Engine.Data;

namespace Grid.Engine.Tasks;

/// <summary>
/// Reads a semantic class → macro class mapping. Two formats, told apart by the first content line:
/// <list type="bullet">
/// <item>reference format: comma-separated macro ids, one per original class in class order (0-based),
///   normally on one line (the reference code's format); line breaks between ids are also accepted;</item>
/// <item>rows "wnid index superclass [name...]", whitespace separated, one per original class: index is the
///   1-based class index of ImageNet's map_clsloc.txt, which is also the 1-based label of the downsampled
///   ImageNet files, so the original (0-based) class is index - 1; superclass is the 0-based macro id;
///   the name may contain spaces and is ignored.</item>
/// </list>
/// Blank lines and lines starting with '#' are skipped. Every error names the file and, where it applies,
/// the line.
/// </summary>
public static class MappingFile
{
    /// <param name="macroCount">k; null = one more than the largest macro id in the file.</param>
    public static ClassMapping Read(string path, int originalCount, int? macroCount)
    {
        if (!File.Exists(path))
        {
            throw new DatasetException(path, "mapping file not found");
        }

        var lines = File.ReadAllLines(path)
            .Select((text, index) => (Text: text.Trim(), Number: index + 1))
            .Where(l => l.Text.Length > 0 && !l.Text.StartsWith('#'))
            .ToList();
        if (lines.Count == 0)
        {
            throw new DatasetException(path, "mapping file is empty");
        }

        var first = lines[0].Text;
        bool rows = !first.Contains(',') && first.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length >= 3;
        var (macroOf, lineOf) = rows ? ParseRows(path, lines, originalCount) : ParseReference(path, lines, originalCount);

        int k = macroCount ?? macroOf.Max() + 1;
        for (int c = 0; c < originalCount; c++)
        {
            if (macroOf[c] < 0 || macroOf[c] >= k)
            {
                throw new DatasetException(path, $"line {lineOf[c]}: class {c} maps to macro class {macroOf[c]}, outside 0..{k - 1}");
            }
        }

        var sizes = new int[k];
        foreach (int macro in macroOf)
        {
            sizes[macro]++;
        }

        var empty = Enumerable.Range(0, k).Where(m => sizes[m] == 0).ToList();
        if (empty.Count > 0)
        {
            throw new DatasetException(path, $"macro class(es) {string.Join(", ", empty)} have no original class (k = {k})");
        }

        return new ClassMapping(macroOf, k);
    }

    private static (int[] MacroOf, int[] LineOf) ParseReference(string path, List<(string Text, int Number)> lines, int originalCount)
    {
        var macroOf = new List<int>();
        var lineOf = new List<int>();
        foreach (var (text, number) in lines)
        {
            var tokens = text.Split(',', StringSplitOptions.TrimEntries);
            for (int t = 0; t < tokens.Length; t++)
            {
                if (tokens[t].Length == 0 && t == tokens.Length - 1)
                {
                    continue;
                }

                if (!int.TryParse(tokens[t], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int macro))
                {
                    throw new DatasetException(path, $"line {number}, entry {macroOf.Count + 1}: '{tokens[t]}' is not an integer macro class id");
                }

                macroOf.Add(macro);
                lineOf.Add(number);
            }
        }

        if (macroOf.Count != originalCount)
        {
            throw new DatasetException(path, $"line {lines[^1].Number}: {macroOf.Count} macro class ids, expected {originalCount} (one per original class)");
        }

        return ([.. macroOf], [.. lineOf]);
    }

    private static (int[] MacroOf, int[] LineOf) ParseRows(string path, List<(string Text, int Number)> lines, int originalCount)
    {
        var macroOf = Enumerable.Repeat(-1, originalCount).ToArray();
        var lineOf = new int[originalCount];
        foreach (var (text, number) in lines)
        {
            var fields = text.Split((char[]?)null, 4, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 3)
            {
                throw new DatasetException(path, $"line {number}: expected 'wnid index superclass [name]', got '{text}'");
            }

            if (!int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out int index) || index < 1 || index > originalCount)
            {
                throw new DatasetException(path, $"line {number}: class index '{fields[1]}' is not in 1..{originalCount}");
            }

            if (!int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out int macro))
            {
                throw new DatasetException(path, $"line {number}: superclass '{fields[2]}' is not a macro class id (0, 1, ...)");
            }

            int original = index - 1;
            if (macroOf[original] >= 0)
            {
                throw new DatasetException(path, $"line {number}: class index {index} is already mapped on line {lineOf[original]}");
            }

            macroOf[original] = macro;
            lineOf[original] = number;
        }

        var missing = Enumerable.Range(0, originalCount).Where(c => macroOf[c] < 0).Select(c => c + 1).ToList();
        if (missing.Count > 0)
        {
            string shown = string.Join(", ", missing.Take(10)) + (missing.Count > 10 ? ", ..." : "");
            throw new DatasetException(path, $"{missing.Count} class index(es) not mapped: {shown}");
        }

        return (macroOf, lineOf);
    }
}
