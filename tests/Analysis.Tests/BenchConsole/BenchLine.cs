using Grid.Bench;
using Spectre.Console.Cli;
using Spectre.Console.Cli.Testing;
using Spectre.Console.Testing;

namespace Grid.Analysis.Tests.BenchConsole;

/// <summary>What the benchmark console did with one command line; <see cref="Settings"/>: what the benchmark would have run with.</summary>
public sealed record BenchLineOutcome(int ExitCode, string Output, string Errors, CommandSettings? Settings)
{
    public string FirstError => Errors.Split('\n')[0].TrimEnd('\r');

    public override string ToString() => $"exit {ExitCode}\n--- output\n{Output}\n--- errors\n{Errors}";
}

/// <summary>
/// Runs a test's command line (<c>"sparse --steps 3"</c>) through the benchmark console in process, every benchmark
/// command replaced by a <see cref="RecordingCommand"/>: nothing is measured.
/// </summary>
public static class BenchLine
{
    public static BenchLineOutcome Run(string line)
    {
        var registrar = new FakeTypeRegistrar();
        var recordings = new List<RecordingCommand>();
        foreach (var type in BenchApp.Commands.Values)
        {
            var recording = new RecordingCommand((ICommand)Activator.CreateInstance(type)!);
            registrar.RegisterInstance(type, recording);
            recordings.Add(recording);
        }

        var console = new TestConsole().Width(int.MaxValue);
        var errors = new StringWriter();
        int exitCode = BenchApp.Run(line.Split(' ', StringSplitOptions.RemoveEmptyEntries), console, errors, registrar);
        return new BenchLineOutcome(exitCode, console.Output, errors.ToString(), recordings.Select(r => r.Settings).SingleOrDefault(s => s is not null));
    }

    /// <summary>The settings of a command line the console accepts.</summary>
    public static TSettings Settings<TSettings>(string line)
        where TSettings : CommandSettings
    {
        var outcome = Run(line);
        Assert.True(outcome.ExitCode == 0 && outcome.Errors == "", outcome.ToString());
        return Assert.IsType<TSettings>(outcome.Settings);
    }
}
