namespace Grid.Abstractions.Contracts;

/// <summary>Why an iteration failed, which decides what its run does next.</summary>
[GenerateSerializer]
public enum FailureKind
{
    None = 0,

    /// <summary>May pass on another try (I/O error, timeout, out of memory, a silo going away): retried with backoff,
    /// a bounded number of times.</summary>
    Transient = 1,

    /// <summary>Recurs on every try (bad spec, bad data, bad device, diverged training): the run fails at once.</summary>
    Permanent = 2,

    /// <summary>A finished iteration it trains from does not verify: the run sets the bad iterations aside and trains
    /// them again (bounded like a transient failure).</summary>
    CorruptArtifact = 3,
}
