namespace Grid.Bench;

/// <summary>
/// The benchmark console's command line: <c>&lt;command&gt; [options]</c>. Help (<c>--help</c>, <c>-h</c>) is printed
/// and nothing runs; a command line that does not fit the command's declaration (<see cref="BenchCommands"/>) gets one
/// line naming the option or argument and why, then the command's usage, exit code 2, and nothing runs.
/// </summary>
public static class BenchCli
{
    public const int UsageError = 2;

    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter errors)
    {
        if (args.Count == 0 || IsHelp(args[0]))
        {
            WriteList(output);
            return 0;
        }

        if (BenchCommands.Find(args[0]) is not { } command)
        {
            errors.WriteLine($"unknown benchmark '{args[0]}'");
            WriteList(errors);
            return UsageError;
        }

        var rest = args.Skip(1).ToList();
        if (rest.Any(IsHelp))
        {
            command.WriteUsage(output, withPurpose: true);
            return 0;
        }

        BenchArgs options;
        try
        {
            options = BenchArgs.Parse(command, rest);
        }
        catch (BenchArgumentException e)
        {
            errors.WriteLine($"{command.Name}: {e.Message}");
            command.WriteUsage(errors, withPurpose: false);
            return UsageError;
        }

        try
        {
            command.Run(options);
            return 0;
        }
        catch (BenchArgumentException e)
        {
            errors.WriteLine($"{command.Name}: {e.Message}");
            return UsageError;
        }
    }

    private static bool IsHelp(string argument) => argument is "--help" or "-h";

    private static void WriteList(TextWriter writer)
    {
        writer.WriteLine($"usage: {BenchCommand.Invocation} <benchmark> [options]   (<benchmark> --help: its options)");
        writer.WriteLine();
        writer.WriteLine("benchmarks:");
        foreach (var command in BenchCommands.All)
        {
            writer.WriteLine($"  {command.Name,-16} {command.Purpose}");
        }
    }
}
