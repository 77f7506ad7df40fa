using System.Text.RegularExpressions;
using Grid.Deploy.Tests.Support;

namespace Grid.Deploy.Tests;

/// <summary>The Dockerfiles, read carefully (no Docker engine builds them here).</summary>
public partial class DockerfileTests
{
    public static readonly TheoryData<string> All = new()
    {
        "docker/silo-cpu.Dockerfile", "docker/silo-cuda.Dockerfile", "docker/client.Dockerfile",
    };

    public static readonly TheoryData<string> Silos = new() { "docker/silo-cpu.Dockerfile", "docker/silo-cuda.Dockerfile" };

    [GeneratedRegex(@"dotnet\s+publish\s+(?<project>\S+\.csproj)")]
    private static partial Regex PublishPattern();

    [Theory]
    [MemberData(nameof(All))]
    public void Is_multi_stage_with_a_build_stage_and_a_runtime_without_the_sdk(string path)
    {
        var file = Dockerfile.Load(path);
        Assert.True(file.Stages.Count >= 2, $"{path} is not multi-stage");
        var build = file.Stages.FirstOrDefault(s => string.Equals(s.Name, "build", StringComparison.OrdinalIgnoreCase));
        Assert.True(build is not null, $"{path} has no `FROM ... AS build` stage");
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0", build!.Image, StringComparison.Ordinal);
        Assert.DoesNotContain("/dotnet/sdk", file.Final.Image, StringComparison.Ordinal);
        Assert.Contains(file.InStage(file.Final.Index, "COPY"), c => c.Arguments.Contains("--from=build", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Runs_as_a_numeric_non_root_user(string path)
    {
        var file = Dockerfile.Load(path);
        var user = file.InStage(file.Final.Index, "USER").LastOrDefault();
        Assert.True(user is not null, $"{path}: the final stage sets no USER (it would run as root)");
        string name = user!.Arguments.Split(':')[0];
        Assert.True(int.TryParse(name, out int uid) && uid != 0,
            $"{path}: USER {user.Arguments} should be a numeric non-root uid (Kubernetes runAsNonRoot can only verify numbers)");
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Has_a_healthcheck(string path)
    {
        var file = Dockerfile.Load(path);
        var check = file.InStage(file.Final.Index, "HEALTHCHECK").LastOrDefault();
        Assert.True(check is not null, $"{path} has no HEALTHCHECK");
        if (path.Contains("silo", StringComparison.Ordinal))
        {
            Assert.Contains("CMD", check!.Arguments, StringComparison.Ordinal);
            Assert.Contains("/healthz", check.Arguments, StringComparison.Ordinal);
            Assert.Contains(":8080", check.Arguments, StringComparison.Ordinal);
            // Whatever the check runs must be installed in the image.
            string tool = check.Arguments[(check.Arguments.IndexOf("CMD", StringComparison.Ordinal) + 3)..].Trim().Split(' ')[0];
            Assert.True(tool is "bash" or "sh" or "dotnet"
                || file.InStage(file.Final.Index, "RUN").Any(r => r.Arguments.Contains("install", StringComparison.Ordinal) && r.Arguments.Contains($" {tool}", StringComparison.Ordinal)),
                $"{path}: HEALTHCHECK runs {tool}, which the final stage does not install");
        }
    }

    [Theory]
    [MemberData(nameof(Silos))]
    public void Silo_exposes_its_ports_and_has_container_defaults(string path)
    {
        var file = Dockerfile.Load(path);
        var exposed = file.InStage(file.Final.Index, "EXPOSE").SelectMany(e => e.Arguments.Split(' ')).Select(p => p.Split('/')[0]).ToHashSet();
        Assert.Superset(new HashSet<string> { "8080", "11111", "30000" }, exposed);

        var env = file.Env(file.Final.Index).GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.Last().Value);
        Assert.Equal("/results", env.GetValueOrDefault("Grid__ResultsRoot"));
        Assert.Equal("0.0.0.0", env.GetValueOrDefault("Grid__GatewayListenAddress"));
        Assert.Equal(path.Contains("cuda", StringComparison.Ordinal) ? "cuda" : "cpu", env.GetValueOrDefault("Grid__Device"));
        // appsettings.json sets "Urls" to loopback, which ASPNETCORE_URLS does not override; Urls does.
        Assert.Equal("http://+:8080", env.GetValueOrDefault("Urls"));
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Restores_from_the_project_files_alone_before_copying_sources(string path)
    {
        var file = Dockerfile.Load(path);
        var build = file.Stages.First(s => string.Equals(s.Name, "build", StringComparison.OrdinalIgnoreCase));
        var steps = file.Instructions.Where(i => i.Stage == build.Index).ToList();
        var publish = steps.FirstOrDefault(i => i.Keyword == "RUN" && PublishPattern().IsMatch(i.Arguments));
        Assert.True(publish is not null, $"{path}: no `dotnet publish <project>.csproj`");
        var project = Project.Load(PublishPattern().Match(publish!.Arguments).Groups["project"].Value);

        int restore = steps.FindIndex(i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet restore", StringComparison.Ordinal));
        Assert.True(restore >= 0, $"{path}: no separate `dotnet restore` step");
        Assert.True(steps.IndexOf(publish) > restore && publish.Arguments.Contains("--no-restore", StringComparison.Ordinal),
            $"{path}: publish should come after the restore, with --no-restore");
        var before = steps.Take(restore).Where(i => i.Keyword == "COPY").Select(i => i.Arguments).ToList();
        Assert.DoesNotContain(before, c => c.StartsWith("src/ ", StringComparison.Ordinal) || c.StartsWith(". ", StringComparison.Ordinal));
        Assert.Contains(steps.Skip(restore), i => i.Keyword == "COPY" && i.Arguments.StartsWith("src/", StringComparison.Ordinal));

        var copied = before.SelectMany(c => c.Split(' ')).ToHashSet(StringComparer.Ordinal);
        foreach (string needed in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "build/" })
        {
            Assert.True(copied.Contains(needed), $"{path}: {needed} must be copied before the restore");
        }

        foreach (var referenced in project.Closure())
        {
            Assert.True(copied.Contains(referenced.Path),
                $"{path}: {referenced.Path} (referenced by {project.Path}) is not copied before `dotnet restore`");
        }

        // The image runs the assembly the project builds.
        var entry = file.InStage(file.Final.Index, "ENTRYPOINT").LastOrDefault();
        Assert.True(entry is not null, $"{path} has no ENTRYPOINT");
        Assert.Contains($"{project.AssemblyName}.dll", entry!.Arguments, StringComparison.Ordinal);

        // A web project anywhere in the closure makes the app need the ASP.NET Core shared framework.
        if (project.Closure().Any(p => p.Sdk == "Microsoft.NET.Sdk.Web"))
        {
            var aspnetStages = file.Stages.Where(s => s.Image.StartsWith("mcr.microsoft.com/dotnet/aspnet:", StringComparison.Ordinal)).ToList();
            bool finalIsAspNet = aspnetStages.Any(s => s.Index == file.Final.Index);
            bool copiesAspNet = file.InStage(file.Final.Index, "COPY").Any(c => aspnetStages.Any(s =>
                s.Name is not null && c.Arguments.Contains($"--from={s.Name}", StringComparison.OrdinalIgnoreCase)
                && c.Arguments.Contains("/usr/share/dotnet", StringComparison.Ordinal)));
            Assert.True(finalIsAspNet || copiesAspNet,
                $"{path}: {project.Path} needs the ASP.NET Core runtime (it references a Microsoft.NET.Sdk.Web project)");
        }
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Build_stage_has_the_compilers_of_the_torch_native_repair_and_the_right_backend(string path)
    {
        var file = Dockerfile.Load(path);
        var build = file.Stages.First(s => string.Equals(s.Name, "build", StringComparison.OrdinalIgnoreCase));
        var runs = file.InStage(build.Index, "RUN").Select(r => r.Arguments).ToList();
        Assert.Contains(runs, r => r.Contains("apt-get install", StringComparison.Ordinal)
            && r.Split(' ').Contains("gcc") && r.Split(' ').Contains("g++"));

        string backend = path.Contains("cuda", StringComparison.Ordinal) ? "cuda" : "cpu";
        foreach (string step in new[] { "dotnet restore", "dotnet publish" })
        {
            string run = runs.Single(r => r.Contains(step, StringComparison.Ordinal));
            Assert.True(backend == "cpu" ? !run.Contains("TorchBackend=cuda", StringComparison.Ordinal) : run.Contains("-p:TorchBackend=cuda", StringComparison.Ordinal),
                $"{path}: `{step}` must use TorchBackend={backend}: {run}");
        }

        if (backend == "cuda")
        {
            Assert.StartsWith("nvidia/cuda:", file.Final.Image, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Dockerignore_keeps_build_outputs_results_and_git_out_of_the_context()
    {
        var lines = Repo.Read(".dockerignore").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        foreach (string name in new[] { "bin", "obj", "results", ".git" })
        {
            Assert.True(lines.Any(l => l.TrimEnd('/') == name || l.TrimEnd('/') == $"**/{name}"), $".dockerignore does not exclude {name}");
        }

        // ...but keeps what the Dockerfiles copy.
        foreach (string needed in new[] { "src", "build", "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
        {
            Assert.DoesNotContain(lines, l => l.TrimEnd('/') == needed || l == "*" || l == "**");
        }
    }
}
