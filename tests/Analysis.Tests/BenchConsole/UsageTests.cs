using Grid.Bench;

namespace Grid.Analysis.Tests.BenchConsole;

/// <summary>Each command's usage is written from its declaration: its purpose, synopsis and every option.</summary>
public class UsageTests
{
    public static TheoryData<string> Commands => [.. BenchCommands.All.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Commands))]
    public void HelpShowsThePurposeAndEveryOption(string name)
    {
        var command = BenchCommands.Find(name)!;
        var help = new StringWriter();

        command.WriteUsage(help, withPurpose: true);

        string text = help.ToString();
        Assert.StartsWith($"{name}: {command.Purpose}", text);
        Assert.Contains($"usage: {BenchCommand.Invocation} {name}", text);
        Assert.All(command.Options, option => Assert.Contains($"  {option.Label} ", text));
        Assert.True(command.Argument is null || text.Contains($"<{command.Argument.Name}>"), text);
    }

    [Fact]
    public void NamesAreUniqueAndOptionsAreDeclaredOnce()
    {
        Assert.Equal(BenchCommands.All.Count, BenchCommands.All.Select(c => c.Name).Distinct().Count());
        Assert.All(BenchCommands.All, command =>
        {
            Assert.Equal(command.Options.Count, command.Options.Select(o => o.Name).Distinct().Count());
            Assert.All(command.Options.Where(o => o.Needs is not null), o => Assert.NotNull(command.Option(o.Needs!)));
        });
    }
}
