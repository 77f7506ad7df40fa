using System.ComponentModel;
using System.Reflection;
using Grid.Bench;
using Spectre.Console.Cli;

namespace Grid.Analysis.Tests.BenchConsole;

/// <summary>Help is Spectre's, written from each command's settings: every option with its line of help, exit code 0, nothing run.</summary>
public class UsageTests
{
    public static TheoryData<string> Commands => [.. BenchApp.Commands.Keys];

    [Theory]
    [MemberData(nameof(Commands))]
    public void HelpShowsTheUsageAndEveryOption(string name)
    {
        var options = Options(name);

        var outcome = BenchLine.Run($"{name} --help");
        var shortHelp = BenchLine.Run($"{name} -h");

        Assert.True(outcome.ExitCode == 0 && outcome.Errors == "", outcome.ToString());
        Assert.Null(outcome.Settings);
        Assert.Equal(outcome.Output, shortHelp.Output);
        Assert.StartsWith("DESCRIPTION:", outcome.Output);
        Assert.Contains($"{BenchApp.Invocation} {name}", outcome.Output);
        Assert.All(options, option =>
        {
            Assert.Contains(option.Template, outcome.Output, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(option.Description), $"{name} {option.Template} has no description");
        });
    }

    [Fact]
    public void NoArgumentsOrHelpListsEveryBenchmark()
    {
        var bare = BenchLine.Run("");
        var help = BenchLine.Run("--help");

        Assert.True(bare.ExitCode == 0 && bare.Errors == "", bare.ToString());
        Assert.Equal(bare.Output, help.Output);
        Assert.All(BenchApp.Commands.Keys, name => Assert.Contains($"    {name} ", bare.Output));
    }

    [Fact]
    public void EngineRunShowsItsArgument()
    {
        var outcome = BenchLine.Run("engine-run --help");

        Assert.Contains($"{BenchApp.Invocation} engine-run <spec.json>", outcome.Output);
        Assert.Contains("results/<sweep>/runs/<run>/spec.json", outcome.Output);
    }

    private static List<(string Template, string? Description)> Options(string command) =>
    [
        .. BenchApp.Commands[command].BaseType!.GetGenericArguments()[0].GetProperties()
            .Where(p => p.GetCustomAttribute<CommandOptionAttribute>() is not null)
            .Select(p => (Template(p.GetCustomAttribute<CommandOptionAttribute>()!), p.GetCustomAttribute<DescriptionAttribute>()?.Description)),
    ];

    /// <summary>The option as help shows it: <c>--steps &lt;N&gt;</c>, <c>-u &lt;U&gt;</c>, <c>--forever</c>.</summary>
    private static string Template(CommandOptionAttribute option)
    {
        string name = option.LongNames.Count > 0 ? "--" + option.LongNames[0] : "-" + option.ShortNames[0];
        return option.ValueName is null ? name : $"{name} <{option.ValueName}>";
    }
}
