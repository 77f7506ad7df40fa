using Grid.Engine.Data;
using Grid.Engine.Specs;

namespace Grid.Engine.Sweeps;

/// <summary>
/// The file checks of a spec, done before a sweep starts on the machine that will read the files: the dataset
/// (through <see cref="DatasetCatalog.Validate"/>: directory, files, headers) and the task's mapping file.
/// </summary>
public static class DatasetFiles
{
    /// <summary>Where Debian's dataset-fashion-mnist package installs the IDX files.</summary>
    public const string DebianFashionMnist = DatasetCatalog.FashionMnistDefaultDirectory;

    /// <summary>Problems as (field, message); empty when the files are there.</summary>
    public static IReadOnlyList<RuleViolation> Check(ExperimentSpec spec)
    {
        var problems = new List<RuleViolation>();
        if (DatasetNames.All.Contains(spec.Dataset.Name))
        {
            try
            {
                DatasetCatalog.Validate(spec.Dataset);
            }
            catch (Exception error) when (error is DatasetException or ArgumentException or IOException)
            {
                problems.Add(new(spec.Dataset.Path is null ? "dataset.name" : "dataset.path", error.Message));
            }
        }

        if (spec.Task.MappingFile is { Length: > 0 } mapping && !File.Exists(mapping))
        {
            problems.Add(new("task.mapping_file", $"file '{mapping}' does not exist (relative paths are relative to {Environment.CurrentDirectory})"));
        }

        return problems;
    }
}
