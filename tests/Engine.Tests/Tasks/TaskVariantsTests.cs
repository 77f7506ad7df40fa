using Grid.Engine.Data;
using Grid.Engine.Specs;
using Grid.Engine.Tasks;

namespace Grid.Engine.Tests.Tasks;

public sealed class TaskVariantsTests
{
    private static DatasetSplit Split()
    {
        var shape = new ImageShape(1, 5, 5);
        var train = new ImageDataset(shape, [.. Enumerable.Range(0, 10 * 25).Select(i => (byte)(1 + i % 200))], [.. Enumerable.Range(0, 10)], 10, "train");
        var validation = new ImageDataset(shape, [.. Enumerable.Range(0, 4 * 25).Select(i => (byte)(2 + i % 100))], [9, 8, 7, 6], 10, "val");
        return new DatasetSplit(train, validation, train.PixelMean());
    }

    [Fact]
    public void OriginalTaskLeavesTheSplitUnchanged()
    {
        var split = Split();
        Assert.Same(split, TaskVariants.Apply(split, new TaskSpec(), seed: 1));
    }

    [Fact]
    public void RotationAndRelabellingCompose()
    {
        var split = Split();
        var task = new TaskSpec { Labels = LabelModes.Random, Classes = 4, RotationDegrees = 20 };

        var result = TaskVariants.Apply(split, task, seed: 1);

        var rotation = new ImageRotation(split.Train.Shape, 20);
        var expected = new byte[25];
        rotation.Apply(split.Validation.Image(1), expected);
        Assert.Equal(expected, result.Validation.Image(1).ToArray());
        Assert.Equal(0, result.Train.Image(0)[0]);
        Assert.Equal(split.Train.Labels.Select(l => l % 4), result.Train.Labels);
        Assert.Equal(new[] { 1, 0, 3, 2 }, result.Validation.Labels);
        Assert.Equal(4, result.Validation.ClassCount);
        Assert.Equal(0f, result.Mean[0]);
        Assert.Equal(split.Mean[12], result.Mean[12]);
    }

    [Fact]
    public void ValidateChecksFieldsAndMappingFile()
    {
        TaskVariants.Validate(new TaskSpec { Labels = LabelModes.Random, Classes = 5 }, 10);
        Assert.Throws<ArgumentException>(() => TaskVariants.Validate(new TaskSpec { RotationDegrees = double.NaN }, 10));
        Assert.Throws<DatasetException>(() => TaskVariants.Validate(
            new TaskSpec { Labels = LabelModes.Semantic, MappingFile = "/nonexistent/mapping.txt" }, 10));
    }
}
