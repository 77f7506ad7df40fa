using System.Text.RegularExpressions;

namespace Grid.Tests.Specs;

/// <summary>The science the code cites lives in the repository: every "docs/science.md §N" names a section of it,
/// and nothing cites the requirements document outside the repository ("SPEC §N").</summary>
public sealed partial class ScienceCitationTests
{
    [GeneratedRegex(@"docs/science\.md §(?<first>\d+)(-(?<last>\d+))?")]
    private static partial Regex Citation();

    [GeneratedRegex(@"^## (?<number>\d+)\. ", RegexOptions.Multiline)]
    private static partial Regex Section();

    private static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(Repo.PathOf("src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Concat(Directory.EnumerateFiles(Repo.PathOf("experiments"), "*.yaml", SearchOption.AllDirectories));

    [Fact]
    public void Every_citation_names_a_section_of_docs_science()
    {
        var sections = Section().Matches(Repo.Read("docs/science.md")).Select(m => int.Parse(m.Groups["number"].Value)).ToHashSet();
        var citations = SourceFiles().SelectMany(f => Citation().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetRelativePath(Repo.Root, f), Match: m))).ToList();

        Assert.True(citations.Count >= 15, $"only {citations.Count} citations found");
        Assert.Equal([1, 2, 3, 4, 5, 6, 7], sections.Order());
        foreach (var (file, match) in citations)
        {
            int first = int.Parse(match.Groups["first"].Value);
            int last = match.Groups["last"].Success ? int.Parse(match.Groups["last"].Value) : first;
            Assert.True(Enumerable.Range(first, last - first + 1).All(sections.Contains), $"{file}: '{match.Value}' names no section of docs/science.md");
        }
    }

    [Fact]
    public void Nothing_cites_the_spec_outside_the_repository()
    {
        var stale = SourceFiles().Where(f => File.ReadAllText(f).Contains("SPEC §", StringComparison.Ordinal)).Select(f => Path.GetRelativePath(Repo.Root, f)).ToList();

        Assert.Empty(stale);
    }
}
