using Grid.Client.Specs;
using Grid.Engine.Specs;
using Grid.Engine.Sweeps;
using Grid.Engine.Tasks;

namespace Grid.Tests.Specs;

/// <summary>experiments/mappings/imagenet-10.txt, the paper's 10 semantic classes, as the product reads it.</summary>
public sealed class PaperMappingTests
{
    private const string Mapping = "experiments/mappings/imagenet-10.txt";

    /// <summary>ImageNet classes per macro class, Table 1 of the paper's supplementary material (SM C.1).</summary>
    private static readonly int[] TableOne = [118, 100, 95, 85, 104, 111, 99, 95, 96, 97];

    [Fact]
    public void The_mapping_has_1000_classes_over_10_macro_classes_as_in_the_paper()
    {
        var mapping = MappingFile.Read(Repo.PathOf(Mapping), originalCount: 1000, macroCount: null);

        Assert.Equal(10, mapping.MacroCount);
        Assert.Equal(1000, mapping.OriginalCount);
        Assert.Equal(TableOne, Enumerable.Range(0, 10).Select(m => mapping.Members(m).Count));
    }

    [Fact]
    public void The_rows_follow_the_imagenet_class_order()
    {
        var rows = File.ReadLines(Repo.PathOf(Mapping)).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split(' ')).ToList();

        Assert.Equal(Enumerable.Range(1, 1000).Select(i => i.ToString()), rows.Select(r => r[1]));
        // map_clsloc.txt starts with "n02119789 1 kit_fox": a mammal other than a dog.
        Assert.Equal(["n02119789", "1", "1", "kit_fox"], rows[0]);
        Assert.Equal(1000, rows.Select(r => r[0]).Distinct().Count());
    }

    [Fact]
    public void Every_semantic_task_of_the_paper_tasks_sweep_reads_the_shipped_mapping()
    {
        // Dataset files are not checked (ImageNet is not on this machine); the mapping is read as a run reads it.
        var file = SweepFile.Parse(Repo.Read("experiments/paper/tasks.yaml"), "tasks.yaml", new SweepCheckOptions { CheckDatasetFiles = false });
        Assert.True(file.IsValid, string.Join("\n", file.Errors));

        var mapped = file.Runs.Select(r => r.Spec.Task).Where(t => ExperimentRules.MappedLabelModes.Contains(t.Labels)).Distinct().ToList();
        Assert.Equal(3, mapped.Count);
        foreach (var task in mapped)
        {
            Assert.Equal(Mapping, task.MappingFile);
            var relabelling = Relabelling.Create(task with { MappingFile = Repo.PathOf(task.MappingFile!) }, DatasetNames.ClassCounts[DatasetNames.ImageNet32], seed: 0);
            Assert.Equal(10, relabelling!.MacroCount);
        }
    }
}
