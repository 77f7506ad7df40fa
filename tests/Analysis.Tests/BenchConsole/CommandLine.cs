using Grid.Bench;

namespace Grid.Analysis.Tests.BenchConsole;

/// <summary>A test's command line (<c>"sparse --steps 3"</c>) as the declared command and the arguments after its name.</summary>
public static class CommandLine
{
    public static (BenchCommand Command, string[] Args) Split(string line)
    {
        string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var command = BenchCommands.Find(words[0]);
        Assert.True(command is not null, $"no benchmark command {words[0]}");
        return (command!, words[1..]);
    }
}
