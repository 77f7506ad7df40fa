using System.Xml.Linq;

namespace Grid.Deploy.Tests.Support;

/// <summary>A src project as the Dockerfiles need to know it: path, references, SDK and assembly name.</summary>
public sealed record Project(string Path, string Sdk, string AssemblyName, IReadOnlyList<string> References)
{
    /// <summary>Loads a project (path relative to the repository, '/' separators).</summary>
    public static Project Load(string relativePath)
    {
        var xml = XDocument.Parse(Repo.Read(relativePath));
        string sdk = xml.Root?.Attribute("Sdk")?.Value ?? "";
        string name = System.IO.Path.GetFileNameWithoutExtension(relativePath);
        string assembly = xml.Descendants("AssemblyName").Select(e => e.Value.Trim()).LastOrDefault() ?? $"Grid.{name}";
        string directory = System.IO.Path.GetDirectoryName(relativePath)!;
        var references = xml.Descendants("ProjectReference")
            .Select(e => e.Attribute("Include")?.Value)
            .OfType<string>()
            .Select(include => Normalise(System.IO.Path.Combine(directory, include.Replace('\\', '/'))))
            .ToList();
        return new Project(relativePath, sdk, assembly, references);
    }

    /// <summary>This project and every project it references, directly or not.</summary>
    public IReadOnlyList<Project> Closure()
    {
        var seen = new Dictionary<string, Project>(StringComparer.Ordinal);
        var pending = new Stack<Project>([this]);
        while (pending.Count > 0)
        {
            var project = pending.Pop();
            if (seen.TryAdd(project.Path, project))
            {
                foreach (string reference in project.References)
                {
                    pending.Push(Load(reference));
                }
            }
        }

        return [.. seen.Values];
    }

    private static string Normalise(string path)
    {
        var parts = new List<string>();
        foreach (string part in path.Replace('\\', '/').Split('/'))
        {
            if (part == "..")
            {
                parts.RemoveAt(parts.Count - 1);
            }
            else if (part is not ("." or ""))
            {
                parts.Add(part);
            }
        }

        return string.Join('/', parts);
    }
}
