using Grid.Analysis.Curves;
using Grid.Analysis.Masks;
using Grid.Analysis.Observables;
using Grid.Analysis.Output;
using Grid.Analysis.Pictures;
using Grid.Analysis.Tests.Support;
using SkiaSharp;

namespace Grid.Analysis.Tests.Pictures;

public sealed class FigureTests : IDisposable
{
    private static readonly InputGeometry Rgb32 = new(3, 32, 32);
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static void AssertDataBeside(FigureFiles files, string expectedExtension, string expectedContent)
    {
        Assert.Equal(expectedExtension, Path.GetExtension(files.DataPath));
        Assert.Equal(Path.ChangeExtension(files.ImagePath, null), Path.ChangeExtension(files.DataPath, null));
        Assert.Contains(expectedContent, File.ReadAllText(files.DataPath));
    }

    [Fact]
    public void AccuracyAndGainFigures()
    {
        SeedRun[] runs =
        [
            new(1, Enumerable.Range(0, 12).Select(i => new IterationAccuracy(i, Math.Pow(0.7, i), 0.09 + 0.002 * i)).ToArray()),
            new(2, Enumerable.Range(0, 10).Select(i => new IterationAccuracy(i, Math.Pow(0.7, i), 0.08 + 0.003 * i)).ToArray()),
        ];
        AccuracyCurve curve = AccuracyCurve.Aggregate("IMP", runs);

        FigureFiles accuracy = AccuracyFigure.Save(_directory.File("accuracy"), [curve], AccuracyQuantity.BestAccuracy);
        FigureFiles gain = AccuracyFigure.Save(_directory.File("gain"), [curve, curve with { Label = "other" }], AccuracyQuantity.Gain);

        PngAssert.DecodesTo(accuracy.ImagePath, 800, 600).Dispose();
        PngAssert.DecodesTo(gain.ImagePath, 800, 600).Dispose();
        AssertDataBeside(accuracy, ".csv", "series,iteration,u,accuracy_mean,accuracy_std,gain_mean,gain_std,seeds\nIMP,0,1,");
        Assert.Equal(1 + 2 * 12, File.ReadAllLines(gain.DataPath).Length);
    }

    [Fact]
    public void HistogramWithBinomialReference()
    {
        var mask = RandomMasks.Bernoulli(256, Rgb32.InputCount, 0.01, new Random(1));
        var histogram = ConnectivityHistogram.Build(Connectivity.InputConnectivity(mask), Rgb32.InputCount, 0.01);

        FigureFiles files = ConnectivityHistogramFigure.Save(_directory.File("histogram"), histogram);

        PngAssert.DecodesTo(files.ImagePath, 800, 600).Dispose();
        AssertDataBeside(files, ".json", "\"binomial_mean\": 30.72");
    }

    [Fact]
    public void DisplacementMapsSingleAndPerConnectivityBin()
    {
        var mask = RandomMasks.Bernoulli(64, Rgb32.InputCount, 0.02, new Random(2));
        DisplacementMap map = DisplacementHistogram.Compute(mask, Rgb32);
        var bins = DisplacementByConnectivity.Compute(mask, Rgb32, [1, 60, 70]);

        FigureFiles same = DisplacementMapFigure.Save(_directory.File("ssc"), map, DisplacementKind.SameChannel);
        FigureFiles different = DisplacementMapFigure.Save(_directory.File("sdc"), map, DisplacementKind.DifferentChannel);
        FigureFiles byBin = DisplacementMapFigure.SaveByConnectivity(_directory.File("ssc-bins"), bins, columns: 2);

        PngAssert.DecodesTo(same.ImagePath, 640, 560).Dispose();
        PngAssert.DecodesTo(different.ImagePath, 640, 560).Dispose();
        PngAssert.DecodesTo(byBin.ImagePath, 2 * 480, 2 * 420).Dispose();
        AssertDataBeside(same, ".csv", "panel,dx,dy,s_sc\n");
        Assert.Equal(1 + 63 * 63, File.ReadAllLines(same.DataPath).Length);
        Assert.Equal(1 + 3 * 63 * 63, File.ReadAllLines(byBin.DataPath).Length);
    }

    [Fact]
    public void PixelMapIsDrawnInImageOrientation()
    {
        // one hot pixel near the top-left corner must appear in the top-left quadrant of the picture
        var values = new double[16 * 16];
        values[2 * 16 + 1] = 5;
        FigureFiles files = PixelMapFigure.Save(_directory.File("cout0"), new PixelMap(16, 16, values));

        using SKBitmap bitmap = PngAssert.DecodesTo(files.ImagePath, 640, 560);
        var (x, y) = CentroidOfBrightYellow(bitmap, maxX: 540);
        Assert.True(x < 270 && y < 280, $"hot pixel drawn at ({x}, {y})");
        AssertDataBeside(files, ".csv", "x,y,value\n0,0,0\n");
    }

    [Fact]
    public void NodeRemovalAndTrainingCurves()
    {
        FigureFiles removal = NodeRemovalFigure.Save(_directory.File("removal"),
            new NodeRemovalCurves([0, 10, 100], [1, 0.8, 0.3], [1, 1, 0.97]));
        FigureFiles training = TrainingCurvesFigure.Save(_directory.File("training"),
        [
            new TrainingCurve("iteration 0", [0, 100, 200], [0.99, 0.9, 0.8], [100, 200], [0.95, 0.93]),
            new TrainingCurve("iteration 13", [0, 100, 200], [0.99, 0.92, 0.85], [100, 200], [0.94, 0.9]),
        ]);

        PngAssert.DecodesTo(removal.ImagePath, 800, 600).Dispose();
        PngAssert.DecodesTo(training.ImagePath, 1280, 480).Dispose();
        AssertDataBeside(removal, ".csv", "order,removed_nodes,relative_accuracy\ndecreasing C in (most connected first),0,1\n");
        Assert.EndsWith("increasing C in (least connected first),100,0.97\n", File.ReadAllText(removal.DataPath));
        AssertDataBeside(training, ".csv", "iteration 13,validation,200,0.9\n");
    }

    [Fact]
    public void NodeRemovalCurvesFromTheNetworkAnalysis()
    {
        FigureFiles files = NodeRemovalFigure.Save(_directory.File("removal-orders"),
        [
            new Grid.Analysis.Network.NodeRemovalCurve("highest C_in first", [0, 5], [1, 0.5]),
            new Grid.Analysis.Network.NodeRemovalCurve("lowest C_in first", [0, 5], [1, 0.99]),
            new Grid.Analysis.Network.NodeRemovalCurve("random", [0, 5], [1, 0.9]),
        ]);

        PngAssert.DecodesTo(files.ImagePath, 800, 600).Dispose();
        Assert.Equal(1 + 6, File.ReadAllLines(files.DataPath).Length);
    }

    [Fact]
    public void MaskWeightAndEffectiveMaskGrids()
    {
        var mask = RandomMasks.Bernoulli(40, Rgb32.InputCount, 0.02, new Random(3));
        var weights = Enumerable.Range(0, mask.Values.Length).Select(k => (float)Math.Sin(k)).ToArray();
        var second = RandomMasks.Bernoulli(8, 40, 0.2, new Random(4));
        LayerMask effective = EffectiveMasks.Next(mask, second);

        FigureFiles masks = MaskGridFigure.SaveMostConnectedMasks(_directory.File("masks"), mask, Rgb32, count: 12, columns: 6, title: "masks");
        FigureFiles masked = MaskGridFigure.SaveMostConnectedMaskedWeights(_directory.File("weights"), mask, weights, Rgb32, count: 12, columns: 6, title: "w*m");
        FigureFiles mu = MaskGridFigure.SaveMostConnectedEffectiveMasks(_directory.File("mu2"), effective, Rgb32, layer: 2, count: 12, columns: 6, title: "mu 2");

        // 6 columns of 96 px tiles (wider than the short titles) with 6 px gaps; 32 px title, 2 rows of tile + 15 px caption + gap
        PngAssert.DecodesTo(masks.ImagePath, 6 * 102 + 6, 32 + 2 * (96 + 15 + 6) + 6).Dispose();
        PngAssert.DecodesTo(masked.ImagePath, 6 * 102 + 6, 32 + 2 * (96 + 15 + 6) + 6).Dispose();
        PngAssert.DecodesTo(mu.ImagePath, 6 * 102 + 6, 32 + 2 * (96 + 15 + 6) + 6).Dispose();
        int top = MostConnectedNodes.Top(Connectivity.InputConnectivity(mask), 1)[0];
        AssertDataBeside(masks, ".json", $"\"node\": {top},");
        AssertDataBeside(masked, ".json", "\"masked_weights\": [");
    }

    [Fact]
    public void GreyMasksForOneChannel()
    {
        var geometry = new InputGeometry(1, 28, 28);
        var mask = RandomMasks.Bernoulli(5, geometry.InputCount, 0.1, new Random(5));

        FigureFiles files = MaskGridFigure.SaveMostConnectedMasks(_directory.File("grey"), mask, geometry, count: 5, columns: 5, title: "grey", scale: 4);

        using SKBitmap bitmap = PngAssert.DecodesTo(files.ImagePath, 5 * (112 + 6) + 6, 32 + 112 + 15 + 6 + 6);
        for (int y = 0; y < bitmap.Height; y += 3)
        {
            for (int x = 0; x < bitmap.Width; x += 3)
            {
                SKColor c = bitmap.GetPixel(x, y);
                Assert.True(c.Red == c.Green && c.Green == c.Blue, $"colour {c} at ({x}, {y})");
            }
        }
    }

    [Fact]
    public void TopActivationStrip()
    {
        var random = new Random(6);
        byte[] Image()
        {
            var bytes = new byte[Rgb32.InputCount];
            random.NextBytes(bytes);
            return bytes;
        }
        var mask = RandomMasks.Bernoulli(10, Rgb32.InputCount, 0.05, new Random(7));
        var weights = Enumerable.Range(0, mask.Values.Length).Select(k => (float)Math.Cos(k)).ToArray();
        NodeTopImages[] nodes =
        [
            new(3, [Image(), Image(), Image()], [2.5, 2.0, 1.5]),
            new(7, [Image(), Image(), Image()]),
        ];

        FigureFiles files = ActivationStripFigure.Save(_directory.File("strip"), Rgb32, nodes, mask, weights);

        using SKBitmap bitmap = SKBitmap.Decode(files.ImagePath);
        Assert.Equal(32 + 5 * (96 + 15 + 6) + 6, bitmap.Height); // mask, weights and 3 image rows
        AssertDataBeside(files, ".json", "\"node\": 7");
    }

    private static (double X, double Y) CentroidOfBrightYellow(SKBitmap bitmap, int maxX)
    {
        double sx = 0, sy = 0, n = 0;
        for (int y = 0; y < bitmap.Height; y++)
        {
            for (int x = 0; x < maxX; x++)
            {
                SKColor c = bitmap.GetPixel(x, y);
                if (c.Red > 200 && c.Green > 200 && c.Blue < 100)
                {
                    sx += x;
                    sy += y;
                    n++;
                }
            }
        }
        Assert.True(n > 0, "no bright pixel found");
        return (sx / n, sy / n);
    }
}
