namespace Grid.Grains.Persistence;

/// <summary>
/// What a sweep coordinator keeps in grain storage: whether it is supposed to be driving its sweep. The results store
/// says what is finished and whether the sweep was cancelled, but not that a sweep ended as failed; without this
/// record a reminder (or a reactivation) could not tell "idle because its silo died" from "idle because it failed".
/// </summary>
[GenerateSerializer]
public sealed class SweepDriverRecord
{
    /// <summary>Sweep directory under the results root (the manifest is Directory/sweep.json).</summary>
    [Id(0)]
    public string Directory { get; set; } = "";

    /// <summary>True from a submission (or resume) until the sweep finished, failed or was cancelled.</summary>
    [Id(1)]
    public bool Driving { get; set; }

    /// <summary>Last state the coordinator recorded (Running, Finished, Failed, Cancelled).</summary>
    [Id(2)]
    public string State { get; set; } = "";

    [Id(3)]
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>How many times a reminder found the coordinator idle (a fresh activation) and resumed the sweep.</summary>
    [Id(4)]
    public int ResumedByReminder { get; set; }

    /// <summary>Silo of the activation that last wrote this record.</summary>
    [Id(5)]
    public string Silo { get; set; } = "";
}
