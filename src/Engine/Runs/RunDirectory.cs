using System.Globalization;
using System.Text.Json;
using Grid.Engine.IO;
using Grid.Engine.Specs;
using Grid.Engine.Training;

namespace Grid.Engine.Runs;

/// <summary>
/// The files of one run (named by the hash of its canonical spec). Layout:
/// spec.json, init.npz, rewind.npz, and per iteration iter-NNN/{mask.npz, final.npz, curves.csv, summary.json}.
/// summary.json is written last: its presence means the iteration finished (and the next mask, if any, exists).
/// </summary>
public sealed class RunDirectory(string path)
{
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public string SpecFile => System.IO.Path.Combine(Path, "spec.json");
    public string InitialWeightsFile => System.IO.Path.Combine(Path, "init.npz");
    public string RewindWeightsFile => System.IO.Path.Combine(Path, "rewind.npz");

    public string IterationPath(int iteration) => System.IO.Path.Combine(Path, $"iter-{iteration:D3}");
    public string MaskFile(int iteration) => System.IO.Path.Combine(IterationPath(iteration), "mask.npz");
    public string FinalWeightsFile(int iteration) => System.IO.Path.Combine(IterationPath(iteration), "final.npz");
    public string CurvesFile(int iteration) => System.IO.Path.Combine(IterationPath(iteration), "curves.csv");
    public string SummaryFile(int iteration) => System.IO.Path.Combine(IterationPath(iteration), "summary.json");

    /// <summary>The lock file of the claim on training iteration <paramref name="iteration"/> here (<see cref="IO.FileClaim"/>).</summary>
    public string ClaimFile(int iteration) => System.IO.Path.Combine(Path, $".iter-{iteration:D3}.lock");

    /// <summary>The lock file of the engine's claim on training iteration <paramref name="iteration"/> in place: held from
    /// the start of its training to its summary.json, so that an engine that finds it held (e.g. in a bundle) leaves the
    /// iteration to its holder and reads it back afterwards. Apart from <see cref="ClaimFile"/>, which the grid holds
    /// around the whole job.</summary>
    public string TrainingClaimFile(int iteration) => System.IO.Path.Combine(Path, $".iter-{iteration:D3}.train.lock");

    /// <summary>Writes spec.json, or checks that the directory already belongs to this exact spec.</summary>
    public void Claim(ExperimentSpec spec)
    {
        string canonical = SpecJson.Canonical(spec);
        if (File.Exists(SpecFile))
        {
            var stored = SpecJson.Canonical(SpecJson.Parse<ExperimentSpec>(File.ReadAllText(SpecFile)));
            if (stored != canonical)
            {
                throw new InvalidOperationException($"{SpecFile}: the run directory belongs to a different specification");
            }

            return;
        }

        AtomicFile.WriteText(SpecFile, JsonSerializer.Serialize(spec, SpecJson.Indented));
    }

    /// <summary>The outcome of a finished iteration, or null; <see cref="CorruptArtifactException"/> naming the file when
    /// its summary.json does not parse (e.g. truncated).</summary>
    public IterationOutcome? ReadOutcome(int iteration)
    {
        string file = SummaryFile(iteration);
        if (!File.Exists(file))
        {
            return null;
        }

        try
        {
            return SpecJson.Parse<IterationOutcome>(File.ReadAllText(file));
        }
        catch (JsonException error)
        {
            throw new CorruptArtifactException(file, $"not a valid iteration summary ({error.Message})");
        }
    }

    public void WriteOutcome(IterationOutcome outcome) =>
        AtomicFile.WriteText(SummaryFile(outcome.Iteration), JsonSerializer.Serialize(outcome, SpecJson.Indented));

    public IReadOnlyList<IterationOutcome> FinishedIterations()
    {
        var outcomes = new List<IterationOutcome>();
        for (int iteration = 0; ReadOutcome(iteration) is { } outcome; iteration++)
        {
            outcomes.Add(outcome);
            if (outcome.IsLast)
            {
                break;
            }
        }

        return outcomes;
    }

    public void WriteCurves(int iteration, IReadOnlyList<CurvePoint> curve)
    {
        var lines = new List<string> { "step,train_loss,train_accuracy,val_loss,val_accuracy,val_top5" };
        lines.AddRange(curve.Select(p => string.Join(',',
            p.Step.ToString(CultureInfo.InvariantCulture),
            p.TrainLoss.ToString("R", CultureInfo.InvariantCulture),
            p.TrainAccuracy.ToString("R", CultureInfo.InvariantCulture),
            p.ValLoss.ToString("R", CultureInfo.InvariantCulture),
            p.ValAccuracy.ToString("R", CultureInfo.InvariantCulture),
            p.ValTop5.ToString("R", CultureInfo.InvariantCulture))));
        AtomicFile.WriteText(CurvesFile(iteration), string.Join('\n', lines) + "\n");
    }
}
