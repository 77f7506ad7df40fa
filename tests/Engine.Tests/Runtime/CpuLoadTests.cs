using Grid.Engine.Runtime;

namespace Grid.Engine.Tests;

/// <summary>CpuLoad over /proc-format files the test writes: a 2-core machine where another process burns one core.</summary>
public sealed class CpuLoadTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("grid-cpuload-").FullName;

    private string MachineFile => Path.Combine(_directory, "stat");

    private string ProcessFile => Path.Combine(_directory, "self-stat");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Other_processes_cores_are_the_machine_s_busy_time_minus_this_process_s()
    {
        var load = new CpuLoad(MachineFile, ProcessFile);
        Write(user: 1000, idle: 5000, ownTicks: 400);
        Assert.Null(load.OtherCores()); // the first sample has nothing to compare with

        // 100 ticks per core pass (200 in all): 150 busy, of which this process used 50 → others used 100 = one core.
        Write(user: 1150, idle: 5050, ownTicks: 450);
        Assert.Equal(1.0, load.OtherCores()!.Value, 3);

        // Only this process was busy: others used nothing.
        Write(user: 1250, idle: 5150, ownTicks: 550);
        Assert.Equal(0.0, load.OtherCores()!.Value, 3);
        Assert.Equal(2, load.MachineCores());
    }

    [Fact]
    public void Busy_cores_count_every_process_this_one_included_on_their_own_sequence()
    {
        var load = new CpuLoad(MachineFile, ProcessFile);
        Write(user: 1000, idle: 5000, ownTicks: 400);
        Assert.Null(load.BusyCores());
        Assert.Null(load.OtherCores()); // a sequence of its own: BusyCores did not start it

        // 200 ticks pass: 150 busy (50 of them this process's) = 1.5 of 2 cores, whoever used them.
        Write(user: 1150, idle: 5050, ownTicks: 450);
        Assert.Equal(1.5, load.BusyCores()!.Value, 3);
        Assert.Equal(1.0, load.OtherCores()!.Value, 3);
    }

    [Fact]
    public void The_process_line_is_read_after_a_command_name_with_spaces_and_parentheses()
    {
        string stat = "4242 (grid (slot) 1) S 1 4242 4242 0 -1 4194304 100 0 0 0 123 45 0 0 20 0 30 0 100 0 0";
        Assert.Equal(168, CpuLoad.ParseProcess(stat));
    }

    [Fact]
    public void Without_readable_proc_files_there_is_no_reading()
    {
        var load = new CpuLoad(Path.Combine(_directory, "missing"), ProcessFile);
        Assert.Null(load.OtherCores());
        Assert.Null(load.OtherCores());
        Assert.Null(load.MachineCores());
    }

    private void Write(long user, long idle, long ownTicks)
    {
        File.WriteAllLines(MachineFile,
        [
            $"cpu  {user} 0 0 {idle} 0 0 0 0 0 0",
            "cpu0 1 0 0 1 0 0 0 0 0 0",
            "cpu1 1 0 0 1 0 0 0 0 0 0",
            "intr 12345",
        ]);
        File.WriteAllText(ProcessFile, $"77 (dotnet) R 1 77 77 0 -1 0 0 0 0 0 {ownTicks} 0 0 0 20 0 30 0 100 0 0");
    }
}
