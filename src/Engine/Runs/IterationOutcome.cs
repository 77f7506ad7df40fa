namespace Grid.Engine.Runs;

/// <summary>What one finished pruning iteration of a run reports (also stored as iter-NNN/summary.json).</summary>
public sealed record IterationOutcome
{
    public required int Iteration { get; init; }

    /// <summary>Unpruned fraction over all prunable weights during this iteration's training.</summary>
    public required double UnprunedFraction { get; init; }

    /// <summary>Unpruned fraction per linear layer (1 for unprunable layers).</summary>
    public required IReadOnlyList<double> LayerUnprunedFractions { get; init; }

    public required double BestValAccuracy { get; init; }
    public required double BestValTop5 { get; init; }
    public required int BestStep { get; init; }
    public required double FinalTrainLoss { get; init; }
    public required double TrainSeconds { get; init; }

    /// <summary>True when this was the run's last iteration (stop criterion, max iterations or one-shot procedure).</summary>
    public required bool IsLast { get; init; }

    /// <summary>Why the run stops after this iteration, when <see cref="IsLast"/>.</summary>
    public string? StopReason { get; init; }

    /// <summary>Size and SHA-256 of every file this iteration trained from or wrote (see
    /// <see cref="RunIntegrity.FilesOf"/>), recorded when it finished; null in results written before checksums were
    /// recorded, which are read as unverified.</summary>
    public IReadOnlyList<ArtifactFile>? Files { get; init; }

    /// <summary>The kernel each linear layer trained with ("dense" or "sparse"); null in results written before kernels
    /// were recorded.</summary>
    public IReadOnlyList<string>? Kernels { get; init; }

    /// <summary>The libtorch threads the iteration started training with (the slot's calibrated count); null in results
    /// written before it was recorded.</summary>
    public int? Threads { get; init; }

    /// <summary>The median wall time of one training step in milliseconds (<see cref="Training.StepTimes"/>: validation,
    /// hooks and one-off costs left out; a bundle's whole step); null in results written before it was recorded.</summary>
    public double? StepMilliseconds { get; init; }

    /// <summary>What computed the dense products on the CPU, whose bits depend on it: "MKL, AVX-512 with VNNI, strict
    /// reproducibility" (<see cref="Runtime.MklDispatch"/>); null on other devices and in results written before it was
    /// recorded (not written then).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? DenseProducts { get; init; }

    /// <summary>How many iterations (of different runs) trained together as one bundle with this one, itself included
    /// (<see cref="RunExecutor.RunIterations"/>); null when it trained alone (not written then).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? Bundle { get; init; }

    /// <summary>True when this process did not train the iteration but took it from the run store (trained earlier, by
    /// any sweep); not stored.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Reused { get; init; }
}

/// <summary>Live progress of a training run, reported every validation point and at least every few seconds.</summary>
public sealed record TrainingProgress(
    int Iteration,
    int Step,
    int TotalSteps,
    double TrainLoss,
    double? ValAccuracy,
    double BestValAccuracy,
    double UnprunedFraction,
    TimeSpan Elapsed);
