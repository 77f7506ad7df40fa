using System.Text.RegularExpressions;

namespace Grid.Client.Data;

/// <summary>
/// A checksum list in md5sum's format (<c>HASH  NAME</c>, or <c>HASH *NAME</c>; blank lines and # comments ignored):
/// `grid data fetch --checksums FILE` checks the files of a mirror that serves other bytes than the publishers'
/// (e.g. recompressed copies) against it instead of the pinned checksums.
/// </summary>
public static partial class Md5Sums
{
    [GeneratedRegex("^(?<md5>[0-9A-Fa-f]{32}) [ *](?<name>.+)$")]
    private static partial Regex Line();

    /// <summary>MD5 by file name, for names among <paramref name="known"/>; an error names the file, the line and the reason.</summary>
    public static (IReadOnlyDictionary<string, string>? Sums, string? Error) Read(string path, IReadOnlyCollection<string> known)
    {
        if (!File.Exists(path))
        {
            return (null, $"--checksums {path}: no such file");
        }

        var sums = new Dictionary<string, string>(StringComparer.Ordinal);
        string[] lines = File.ReadAllLines(path);
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var match = Line().Match(line);
            if (!match.Success)
            {
                return (null, $"{path} line {i + 1}: expected '<32 hex digits>  <file name>' (md5sum's format), got '{line}'");
            }

            string name = Path.GetFileName(match.Groups["name"].Value.Trim());
            if (!known.Contains(name))
            {
                return (null, $"{path} line {i + 1}: '{name}' is not a file of this dataset ({string.Join(", ", known)})");
            }

            sums[name] = match.Groups["md5"].Value.ToLowerInvariant();
        }

        return sums.Count == 0 ? (null, $"{path}: no checksums") : (sums, null);
    }
}
