using Grid.Analysis.Masks;
using Grid.Engine.Data;
using Grid.Engine.Specs;

namespace Grid.Analysis.Runs;

/// <summary>
/// The input image shape of a run, without loading its data when the dataset is one of the known ones
/// (task variants keep the shape); other datasets, or a shape that disagrees with the mask, ask the dataset catalog.
/// </summary>
public static class RunGeometry
{
    /// <param name="inputs">n0 of the first-layer mask, checked against the shape.</param>
    public static InputGeometry Of(ExperimentSpec spec, int inputs)
    {
        if (DatasetNames.ShapeAfter(spec.Dataset.Name, spec.Dataset.Downsample) is { } images
            && new InputGeometry(images.Channels, images.Height, images.Width) is { } known
            && known.InputCount == inputs)
        {
            return known;
        }

        ImageShape shape = DatasetCatalog.Load(spec.Dataset).Train.Shape;
        var geometry = new InputGeometry(shape.Channels, shape.Height, shape.Width);
        if (geometry.InputCount != inputs)
        {
            throw new InvalidDataException($"The first-layer mask has {inputs} inputs but {spec.Dataset.Name} images are {geometry}.");
        }
        return geometry;
    }
}
