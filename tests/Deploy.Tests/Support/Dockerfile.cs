using System.Text;

namespace Grid.Deploy.Tests.Support;

/// <summary>One instruction of a Dockerfile (continuations joined, comments dropped), with its stage.</summary>
public sealed record DockerInstruction(string Keyword, string Arguments, int Stage, int Line)
{
    public override string ToString() => $"line {Line}: {Keyword} {Arguments}";
}

/// <summary>A build stage: FROM image [AS name].</summary>
public sealed record DockerStage(int Index, string Image, string? Name);

/// <summary>Just enough of Dockerfile syntax to check the project's Dockerfiles.</summary>
public sealed class Dockerfile
{
    private Dockerfile(string path, IReadOnlyList<DockerInstruction> instructions, IReadOnlyList<DockerStage> stages)
    {
        Path = path;
        Instructions = instructions;
        Stages = stages;
    }

    public string Path { get; }

    public IReadOnlyList<DockerInstruction> Instructions { get; }

    public IReadOnlyList<DockerStage> Stages { get; }

    public DockerStage Final => Stages[^1];

    public IEnumerable<DockerInstruction> InStage(int stage, string keyword) =>
        Instructions.Where(i => i.Stage == stage && i.Keyword == keyword);

    public static Dockerfile Load(string relativePath)
    {
        string text = Repo.Read(relativePath);
        var instructions = new List<DockerInstruction>();
        var stages = new List<DockerStage>();
        var current = new StringBuilder();
        int startLine = 0;
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            string trimmed = line.Trim();
            if (trimmed.StartsWith('#') || (trimmed.Length == 0 && current.Length == 0))
            {
                continue; // comments (also inside continuations) and blank lines
            }

            if (current.Length == 0)
            {
                startLine = i + 1;
            }

            bool continues = trimmed.EndsWith('\\');
            current.Append(continues ? trimmed[..^1] : trimmed).Append(' ');
            if (continues)
            {
                continue;
            }

            Add(current.ToString().Trim(), startLine, instructions, stages);
            current.Clear();
        }

        if (current.Length > 0)
        {
            Add(current.ToString().Trim(), startLine, instructions, stages);
        }

        Assert.True(stages.Count > 0, $"{relativePath} has no FROM");
        return new Dockerfile(relativePath, instructions, stages);
    }

    private static void Add(string instruction, int line, List<DockerInstruction> instructions, List<DockerStage> stages)
    {
        if (instruction.Length == 0)
        {
            return;
        }

        int space = instruction.IndexOf(' ');
        string keyword = (space < 0 ? instruction : instruction[..space]).ToUpperInvariant();
        string arguments = space < 0 ? "" : string.Join(' ', instruction[(space + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        if (keyword == "FROM")
        {
            string[] parts = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Where(p => !p.StartsWith("--", StringComparison.Ordinal)).ToArray();
            string? name = parts.Length >= 3 && parts[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? parts[2] : null;
            stages.Add(new DockerStage(stages.Count, parts[0], name));
        }

        instructions.Add(new DockerInstruction(keyword, arguments, Math.Max(stages.Count - 1, 0), line));
    }

    /// <summary>ENV assignments of a stage, in order (key=value form; quotes removed).</summary>
    public IEnumerable<(string Key, string Value)> Env(int stage)
    {
        foreach (var env in InStage(stage, "ENV"))
        {
            foreach (string token in Tokens(env.Arguments))
            {
                int eq = token.IndexOf('=');
                if (eq > 0)
                {
                    yield return (token[..eq], token[(eq + 1)..].Trim('"', '\''));
                }
            }
        }
    }

    private static IEnumerable<string> Tokens(string text)
    {
        var token = new StringBuilder();
        char? quote = null;
        foreach (char c in text)
        {
            if (quote is null && (c == '"' || c == '\''))
            {
                quote = c;
            }
            else if (quote == c)
            {
                quote = null;
            }
            else if (quote is null && char.IsWhiteSpace(c))
            {
                if (token.Length > 0)
                {
                    yield return token.ToString();
                    token.Clear();
                }

                continue;
            }

            token.Append(c);
        }

        if (token.Length > 0)
        {
            yield return token.ToString();
        }
    }
}
