using Grid.Engine.Data;
using Grid.Engine.Specs;
using Grid.Engine.Tasks;
using Grid.Engine.Tests.Data.Fixtures;

namespace Grid.Engine.Tests.Tasks;

public sealed class RelabellingTests
{
    /// <summary>40 original classes; semantic macro class of class c is c / 4 (10 macro classes of 4).</summary>
    private static string WriteBlockMapping(TempDirectory dir, int classes = 40, int perMacro = 4)
    {
        string path = dir.File("semantic.txt");
        File.WriteAllText(path, string.Join(",", Enumerable.Range(0, classes).Select(c => c / perMacro)) + "\n");
        return path;
    }

    private static ImageDataset Dataset(int classes, int perClass)
    {
        var shape = new ImageShape(1, 2, 2);
        int count = classes * perClass;
        return new ImageDataset(shape, new byte[count * shape.Features], [.. Enumerable.Range(0, count).Select(i => i % classes)], classes, "synthetic");
    }

    [Fact]
    public void RandomIsLabelModKAndBalanced()
    {
        var mapping = Relabelling.Random(10, 5);
        var dataset = Dataset(10, 3);

        var relabelled = mapping.Apply(dataset);

        Assert.Equal(5, relabelled.ClassCount);
        Assert.Equal(dataset.Count, relabelled.Count);
        Assert.Equal(dataset.Labels.Select(l => l % 5), relabelled.Labels);
        Assert.All(Enumerable.Range(0, 5), m => Assert.Equal(6, relabelled.Labels.Count(l => l == m)));
        Assert.Equal(new[] { 2, 7 }, mapping.Members(2));
    }

    [Fact]
    public void SemanticReadsTheReferenceFormat()
    {
        using var dir = new TempDirectory();
        string path = WriteBlockMapping(dir);

        var mapping = Relabelling.Create(new TaskSpec { Labels = LabelModes.Semantic, MappingFile = path }, 40, seed: 1)!;

        Assert.Equal(10, mapping.MacroCount);
        Assert.Equal(Enumerable.Range(0, 40).Select(c => c / 4), Enumerable.Range(0, 40).Select(mapping.MacroOf));
    }

    [Fact]
    public void SemanticReadsWnidRowsWithOneBasedIndex()
    {
        using var dir = new TempDirectory();
        string path = dir.File("rows.txt");
        File.WriteAllLines(path,
        [
            "# wnid index superclass name",
            "n01440764 3 1 tench fish",
            "n01443537 1 0 goldfish",
            "",
            "n01484850 2 1 great_white_shark",
            "n01491361 4 0 tiger shark",
        ]);

        var mapping = MappingFile.Read(path, originalCount: 4, macroCount: 2);

        Assert.Equal(new[] { 0, 1, 1, 0 }, Enumerable.Range(0, 4).Select(mapping.MacroOf));
    }

    [Theory]
    [InlineData("0,1,2,3,0,1,2", null, "line 1", "7 macro class ids, expected 8")]
    [InlineData("0,1,x,3,0,1,2,3", null, "line 1, entry 3", "'x' is not an integer")]
    [InlineData("0,1,2,3,0,1,2,4", 4, "line 1", "macro class 4, outside 0..3")]
    [InlineData("0,1,2,2,0,1,2,2", 4, "", "macro class(es) 3 have no original class")]
    [InlineData("n1 1 0\nn2 2 1\nn3 9 0", 2, "line 3", "class index '9' is not in 1..8")]
    [InlineData("n1 1 0\nn2 1 1", 2, "line 2", "already mapped on line 1")]
    [InlineData("n1 1 0\nn2 2 1", 2, "", "6 class index(es) not mapped: 3, 4, 5, 6, 7, 8")]
    [InlineData("n1 1 0\nn2 2", 2, "line 2", "expected 'wnid index superclass [name]'")]
    public void MappingErrorsNameTheFileAndLine(string content, int? k, string where, string problem)
    {
        using var dir = new TempDirectory();
        string path = dir.File("bad-mapping.txt");
        File.WriteAllText(path, content);

        var error = Assert.Throws<DatasetException>(() => MappingFile.Read(path, originalCount: 8, macroCount: k));

        Assert.Equal(path, error.File);
        Assert.Contains(where, error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void MissingMappingFileIsNamed()
    {
        string path = Path.Combine(Path.GetTempPath(), $"absent-{Guid.NewGuid():N}.txt");
        Assert.Equal(path, Assert.Throws<DatasetException>(() => MappingFile.Read(path, 10, 2)).File);
    }

    [Fact]
    public void MixedKeepsTheFirstHalfSemanticAndDealsTheRestRandomly()
    {
        using var dir = new TempDirectory();
        var semantic = MappingFile.Read(WriteBlockMapping(dir), 40, 10);

        var mixed = Relabelling.Mixed(semantic, seed: 3);

        Assert.Equal(10, mixed.MacroCount);
        for (int m = 0; m < 5; m++)
        {
            Assert.Equal(semantic.Members(m), mixed.Members(m));
        }

        var pooled = Enumerable.Range(5, 5).SelectMany(semantic.Members).Order().ToList();
        Assert.Equal(pooled, Enumerable.Range(5, 5).SelectMany(mixed.Members).Order());
        Assert.All(Enumerable.Range(5, 5), m => Assert.Equal(4, mixed.Members(m).Count));
        Assert.Contains(Enumerable.Range(5, 5), m => !mixed.Members(m).SequenceEqual(semantic.Members(m)));

        var again = Relabelling.Mixed(semantic, seed: 3);
        Assert.Equal(Enumerable.Range(0, 40).Select(mixed.MacroOf), Enumerable.Range(0, 40).Select(again.MacroOf));
        var other = Relabelling.Mixed(semantic, seed: 4);
        Assert.NotEqual(Enumerable.Range(0, 40).Select(mixed.MacroOf), Enumerable.Range(0, 40).Select(other.MacroOf));
    }

    [Fact]
    public void PartialSemanticKeepsAboutHalfOfEachMacroClassAndItsSize()
    {
        using var dir = new TempDirectory();
        string path = WriteBlockMapping(dir, classes: 60, perMacro: 6);
        var semantic = MappingFile.Read(path, 60, 10);

        var partial = Relabelling.Create(new TaskSpec { Labels = LabelModes.PartialSemantic, Classes = 10, MappingFile = path }, 60, seed: 11)!;

        int stayed = 0;
        for (int m = 0; m < 10; m++)
        {
            var members = partial.Members(m);
            Assert.Equal(6, members.Count);
            int kept = members.Intersect(semantic.Members(m)).Count();
            Assert.InRange(kept, 3, 6);
            stayed += kept - 3;
        }

        Assert.InRange(stayed, 0, 15);
        var again = Relabelling.PartialSemantic(semantic, seed: 11);
        Assert.Equal(Enumerable.Range(0, 60).Select(partial.MacroOf), Enumerable.Range(0, 60).Select(again.MacroOf));
    }

    [Fact]
    public void TaskFieldsAreChecked()
    {
        Assert.Contains("task.classes", Assert.Throws<ArgumentException>(() =>
            Relabelling.Create(new TaskSpec { Labels = LabelModes.Random }, 10, 0)).Message);
        Assert.Contains("task.classes", Assert.Throws<ArgumentException>(() =>
            Relabelling.Create(new TaskSpec { Labels = LabelModes.Random, Classes = 11 }, 10, 0)).Message);
        Assert.Contains("task.mapping_file", Assert.Throws<ArgumentException>(() =>
            Relabelling.Create(new TaskSpec { Labels = LabelModes.Mixed, Classes = 2 }, 10, 0)).Message);
        Assert.Contains("task.labels", Assert.Throws<ArgumentException>(() =>
            Relabelling.Create(new TaskSpec { Labels = "shuffled" }, 10, 0)).Message);
        Assert.Null(Relabelling.Create(new TaskSpec(), 10, 0));
    }
}
