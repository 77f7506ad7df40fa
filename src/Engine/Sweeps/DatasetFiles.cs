using System.Globalization;
using Grid.Engine.Data;
using Grid.Engine.Specs;
using Grid.Engine.Tasks;

namespace Grid.Engine.Sweeps;

/// <summary>
/// The file checks of a spec, done before a sweep starts on the machine that will read the files — everything a run
/// would otherwise fail on, or silently work around, once it loads its data: the dataset's files (through
/// <see cref="DatasetCatalog.Validate"/>: directory, headers, sizes, labels within the classes), its image counts
/// against <c>dataset.val_size</c>, <c>dataset.fraction</c> and <c>training.batch_size</c>, and the task's mapping file
/// read in full against the dataset's classes and <c>task.classes</c>. One checker serves one sweep: what it read is
/// reused by every run that shares the files.
/// </summary>
/// <param name="absentIsWarning">A dataset that is not on this machine at all is a warning saying where silos will
/// look, rather than an error (<see cref="SweepCheckOptions.AbsentDatasetIsWarning"/>).</param>
public sealed class DatasetFiles(bool absentIsWarning = false)
{
    private readonly Dictionary<string, (DatasetCounts? Counts, string Directory, RuleViolation? Problem)> _datasets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RuleViolation?> _mappings = new(StringComparer.Ordinal);

    /// <param name="broken">Fields that already break a rule (<see cref="ExperimentRules"/>): checks that depend on them are skipped.</param>
    public IReadOnlyList<RuleViolation> Check(ExperimentSpec spec, IReadOnlyCollection<string> broken)
    {
        var problems = new List<RuleViolation>();
        if (!broken.Any(f => f.StartsWith("dataset.", StringComparison.Ordinal)))
        {
            var (counts, directory, problem) = Dataset(spec.Dataset);
            if (problem is not null)
            {
                problems.Add(problem);
            }
            else if (counts is not null && !broken.Contains("training.batch_size"))
            {
                problems.AddRange(Sizes(spec, counts, directory));
            }
        }

        if (!broken.Any(f => f.StartsWith("task.", StringComparison.Ordinal) || f == "dataset.name") && Mapping(spec) is { } mapping)
        {
            problems.Add(mapping);
        }

        return problems;
    }

    private (DatasetCounts? Counts, string Directory, RuleViolation? Problem) Dataset(DatasetSpec dataset)
    {
        string key = $"{dataset.Name}\n{dataset.Path}\n{dataset.Downsample}";
        if (!_datasets.TryGetValue(key, out var result))
        {
            try
            {
                var counts = DatasetCatalog.Validate(dataset with { Fraction = 1, ValSize = 1 });
                result = (counts, DatasetCatalog.ResolveDirectory(dataset), null);
            }
            catch (DatasetAbsentException absent) when (absentIsWarning)
            {
                result = (null, "", new RuleViolation(dataset.Path is null ? "dataset.name" : "dataset.path", AbsenceWarning(absent.Location)) { IsWarning = true });
            }
            catch (Exception error) when (error is DatasetException or ArgumentException or IOException or UnauthorizedAccessException)
            {
                result = (null, "", new RuleViolation(dataset.Path is null ? "dataset.name" : "dataset.path", error.Message));
            }

            _datasets[key] = result;
        }

        return result;
    }

    /// <summary>Where the dataset was looked for here, where a silo looks for it, and what went unchecked.</summary>
    private static string AbsenceWarning(DatasetLocation location)
    {
        var source = DatasetCatalog.Source(location.Name);
        string here = location.IsExplicit
            ? $"{location.Directory} (given by {location.Origin})"
            : string.Join(" and ", location.Considered);
        string silos = location.Origin == DatasetLocation.SpecPath
            ? $"silos read {location.Directory}"
            : $"silos look in ${source.EnvironmentVariable} (/data/{location.Name} in the Kubernetes manifests), "
                + $"else in {location.Name}/ of their data directory (${DataDirectory.EnvironmentVariable} or ~/.local/share/grid/datasets)"
                + (source.DefaultDirectory is { } system ? $", else in {system}" : "");
        return $"{location.Name} is not on this machine (looked in {here}): its files and image counts are unchecked. "
            + $"On a cluster, {silos}. --strict makes this an error.";
    }

    /// <summary>What the loader would otherwise cut or stretch without a word.</summary>
    private static IEnumerable<RuleViolation> Sizes(ExperimentSpec spec, DatasetCounts counts, string directory)
    {
        var dataset = spec.Dataset;
        if (dataset.ValSize > counts.Validation)
        {
            yield return new RuleViolation("dataset.val_size",
                $"{dataset.ValSize} is more than the {counts.Validation} validation images of {dataset.Name} in {directory}; use at most {counts.Validation}");
        }

        int batch = spec.Training.BatchSize;
        if (batch > counts.Train)
        {
            yield return new RuleViolation("training.batch_size",
                $"{batch} is more than the {counts.Train} training images of {dataset.Name} in {directory}");
            yield break;
        }

        long used = (long)Math.Floor(dataset.Fraction * counts.Train);
        if (used < batch)
        {
            yield return new RuleViolation("dataset.fraction",
                $"{dataset.Fraction.ToString("R", CultureInfo.InvariantCulture)} of the {counts.Train} training images is {used} image{(used == 1 ? "" : "s")}, fewer than one batch of training.batch_size = {batch}",
                ["training.batch_size"]);
        }
    }

    /// <summary>The mapping file read as a run reads it: every class mapped once, macro ids within task.classes, none empty.</summary>
    private RuleViolation? Mapping(ExperimentSpec spec)
    {
        var task = spec.Task;
        if (!ExperimentRules.MappedLabelModes.Contains(task.Labels) || task.MappingFile is not { Length: > 0 } file
            || !DatasetNames.ClassCounts.TryGetValue(spec.Dataset.Name, out int classes))
        {
            return null;
        }

        string key = $"{file}\n{task.Labels}\n{task.Classes}\n{classes}";
        if (!_mappings.TryGetValue(key, out var problem))
        {
            problem = ReadMapping(task, file, classes);
            _mappings[key] = problem;
        }

        return problem;
    }

    private static RuleViolation? ReadMapping(TaskSpec task, string file, int classes)
    {
        if (!File.Exists(file))
        {
            return new RuleViolation("task.mapping_file", $"file '{file}' does not exist (relative paths are relative to {Environment.CurrentDirectory})");
        }

        try
        {
            Relabelling.Create(task, classes, seed: 0);
            return null;
        }
        catch (Exception error) when (error is DatasetException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            return new RuleViolation("task.mapping_file", error.Message);
        }
    }
}
