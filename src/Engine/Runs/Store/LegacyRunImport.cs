using Grid.Engine.IO;
using Grid.Engine.Pruning;
using TorchSharp;

namespace Grid.Engine.Runs.Store;

/// <summary>
/// Brings the verified iterations of one run directory written before the run store into its trunk and line without
/// training and without copying: each file gets a second name in the store (<see cref="FileLinks"/>), and the store's
/// records are written as <see cref="StoreExecutor"/> writes them (summary.json with the files relative to the part and
/// is_last false; pruned.json for each mask, and for the procedure's own end). Each piece is written under the claim a
/// training of it takes, and never over stored work: when the store holds an iteration with other arrays than the
/// run's, the stored one is kept and the import stops there. A dry run reads the store and writes nothing.
/// </summary>
/// <param name="planned">What earlier runs of the same dry run would import ("part/id/iteration"): found stored then.</param>
internal sealed class LegacyRunImport(
    RunStore store, RunIdentity identity, RunDirectory legacy, bool dryRun, ISet<string> planned, CancellationToken cancellationToken)
{
    private readonly StoredRun _run = new(store, new StoreLink(store.Root, identity.Trunk, identity.Line));

    /// <summary>Trained iterations put into the store.</summary>
    public int Imported { get; private set; }

    /// <summary>Trained iterations the store already held, with the same arrays.</summary>
    public int AlreadyStored { get; private set; }

    /// <summary>Where the run and the store disagree, or null.</summary>
    public string? Difference { get; private set; }

    /// <summary>Imports <paramref name="verified"/> (the run's finished iterations that verify, in order) and what the
    /// last of them says comes next; true when every one of them is in the store afterwards.</summary>
    public bool Import(IReadOnlyList<IterationOutcome> verified)
    {
        foreach (var outcome in verified)
        {
            if ((outcome.Iteration > 0 && !ImportMask(outcome.Iteration)) || !ImportTrained(outcome))
            {
                return false;
            }
        }

        if (verified.Count == 0)
        {
            return true;
        }

        var last = verified[^1];
        if (!last.IsLast)
        {
            return ImportMask(last.Iteration + 1); // the next mask, which the unfinished run wrote and recorded
        }

        if (last.StopReason is { } reason && !RunLimits.IsRunLimit(reason))
        {
            ImportEnd(last.Iteration + 1, reason);
        }

        return true; // a run limit is this run's own: the store cuts the next mask when a run needs it
    }

    private bool ImportTrained(IterationOutcome outcome)
    {
        int n = outcome.Iteration;
        var owner = _run.Owner(n);
        if (dryRun)
        {
            return PlanTrained(n);
        }

        using var claim = FileClaim.Acquire(owner.ClaimFile(n), FileClaim.ThisProcess, null, cancellationToken);
        if (StoreIntegrity.ReadTrained(_run, n) is not null)
        {
            return SameTraining(n) ? AlsoStored() : Differs(n, "weights");
        }

        foreach (var (source, destination) in OwnFiles(n))
        {
            FileLinks.LinkOrCopy(source, destination);
        }

        owner.WriteOutcome(outcome with
        {
            IsLast = false,
            StopReason = null,
            Files = [.. _run.FilesOf(n).Select(f => ArtifactDigests.Describe(owner.Path, f))],
        });
        store.Journal(new StoreEvent(DateTimeOffset.UtcNow, StoreEvent.Imported, _run.Part(n), _run.Id(n), n, FileClaim.ThisProcess, outcome.TrainSeconds));
        Imported++;
        return true;
    }

    private bool PlanTrained(int n)
    {
        if (File.Exists(_run.Owner(n).SummaryFile(n)))
        {
            try
            {
                return SameTraining(n) ? AlsoStored() : Differs(n, "weights");
            }
            catch (Exception error) when (error is NpyFormatException or IOException)
            {
                // a stored iteration that no longer verifies is set aside and replaced by the run's
            }
        }

        if (planned.Add($"{_run.Part(n)}/{_run.Id(n)}/{n}"))
        {
            Imported++;
        }
        else
        {
            AlreadyStored++;
        }

        return true;
    }

    /// <summary>The mask iteration <paramref name="n"/> trained with (or will train with), and its pruned.json.</summary>
    private bool ImportMask(int n)
    {
        string mask = legacy.MaskFile(n);
        if (dryRun)
        {
            return PlanMask(n, mask);
        }

        using var claim = FileClaim.Acquire(_run.PruneClaimFile(n), FileClaim.ThisProcess, null, cancellationToken);
        string from = ArtifactDigests.Of(_run.Owner(n - 1).FinalWeightsFile(n - 1)).Sha256;
        if (StoreIntegrity.ReadPruned(_run, n, from) is { } stored)
        {
            return (stored.Mask is not null && NpzFile.SameArrays(_run.Line.MaskFile(n), mask)) || Differs(n, "mask");
        }

        FileLinks.LinkOrCopy(mask, _run.Line.MaskFile(n));
        StoreIntegrity.WritePruned(_run, new PruneRecord
        {
            Iteration = n,
            ConnectedNodeFractions = ConnectedNodeFractions(_run.Line.MaskFile(n)),
            Mask = ArtifactDigests.Describe(_run.Line.Path, $"iter-{n:D3}/mask.npz"),
            FromSha256 = from,
        });
        return true;
    }

    private bool PlanMask(int n, string mask)
    {
        string stored = _run.Line.MaskFile(n);
        if (!File.Exists(_run.PruneRecordFile(n)))
        {
            return true;
        }

        try
        {
            var record = Specs.SpecJson.Parse<PruneRecord>(File.ReadAllText(_run.PruneRecordFile(n)));
            return (record.Mask is not null && File.Exists(stored) && NpzFile.SameArrays(stored, mask)) || Differs(n, "mask");
        }
        catch (Exception error) when (error is System.Text.Json.JsonException or NpyFormatException or IOException)
        {
            return true; // a record that does not read is set aside and replaced by the run's
        }
    }

    /// <summary>Records that the procedure ends before iteration <paramref name="n"/> (one-shot, SNIP, ... after their one
    /// pruned iteration), unless the line already records what comes next.</summary>
    private void ImportEnd(int n, string reason)
    {
        if (dryRun)
        {
            return;
        }

        using var claim = FileClaim.Acquire(_run.PruneClaimFile(n), FileClaim.ThisProcess, null, cancellationToken);
        string from = ArtifactDigests.Of(_run.Owner(n - 1).FinalWeightsFile(n - 1)).Sha256;
        if (StoreIntegrity.ReadPruned(_run, n, from) is null)
        {
            StoreIntegrity.WritePruned(_run, new PruneRecord { Iteration = n, StopReason = reason, FromSha256 = from });
        }
    }

    /// <summary>The files of a trained iteration that are its part's own (a line's masks come with their pruned.json):
    /// where they are in the run, and where they go in the store (the run's rewind.npz is the trunk's checkpoint of the
    /// run's rewind step).</summary>
    private IReadOnlyList<(string Source, string Destination)> OwnFiles(int n)
    {
        var owner = _run.Owner(n);
        var files = new List<(string, string)>();
        if (n == 0)
        {
            files.Add((legacy.InitialWeightsFile, owner.InitialWeightsFile));
            if (File.Exists(legacy.RewindWeightsFile))
            {
                files.Add((legacy.RewindWeightsFile, _run.RewindFile(identity.RewindStep)));
            }

            files.Add((legacy.MaskFile(0), owner.MaskFile(0)));
        }

        files.Add((legacy.FinalWeightsFile(n), owner.FinalWeightsFile(n)));
        files.Add((legacy.CurvesFile(n), owner.CurvesFile(n)));
        return files;
    }

    /// <summary>Whether the stored training of <paramref name="n"/> has the run's arrays (the files themselves differ
    /// when written twice: their zip entries carry the time of writing).</summary>
    private bool SameTraining(int n)
    {
        var owner = _run.Owner(n);
        return NpzFile.SameArrays(owner.FinalWeightsFile(n), legacy.FinalWeightsFile(n))
            && (n > 0 || NpzFile.SameArrays(owner.InitialWeightsFile, legacy.InitialWeightsFile));
    }

    private bool AlsoStored()
    {
        AlreadyStored++;
        return true;
    }

    /// <summary>Notes that the store holds other arrays for iteration <paramref name="n"/> than the run: the stored ones
    /// stay, and nothing later of the run is imported (it follows from the run's own arrays).</summary>
    private bool Differs(int n, string what)
    {
        Difference = $"iteration {n}: the run store's {_run.Part(n)} {_run.Id(n)} holds other {what} for it (trained elsewhere, "
            + "or by another version); the stored ones were kept, and this run goes on in its own directory";
        return false;
    }

    private static IReadOnlyList<double> ConnectedNodeFractions(string maskFile)
    {
        using var scope = torch.NewDisposeScope();
        using var mask = new MaskSet(TensorArchive.LoadMasks(maskFile));
        return mask.ConnectedNodeFractions();
    }
}
