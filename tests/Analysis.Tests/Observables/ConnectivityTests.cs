using Grid.Analysis.Masks;
using Grid.Analysis.Observables;

namespace Grid.Analysis.Tests.Observables;

public class ConnectivityTests
{
    // 2 channels of 1x2 pixels: inputs (c0,x0) (c0,x1) (c1,x0) (c1,x1)
    private static readonly InputGeometry Geometry = new(2, 1, 2);
    private static readonly LayerMask Mask = LayerMask.FromRows([[0, 2, 3], [2], []], 4);

    [Fact]
    public void UnprunedFractionIsTheMeanOfTheMask() =>
        Assert.Equal(4.0 / 12, Connectivity.UnprunedFraction(Mask), 12);

    [Fact]
    public void InputConnectivityIsTheRowSum() =>
        Assert.Equal([3, 1, 0], Connectivity.InputConnectivity(Mask));

    [Fact]
    public void OutputConnectivityIsTheColumnSum() =>
        Assert.Equal([1, 0, 2, 1], Connectivity.OutputConnectivityOfInputs(Mask));

    [Fact]
    public void InputMapSumsOverChannels()
    {
        PixelMap map = Connectivity.InputOutputConnectivityMap(Mask, Geometry);

        Assert.Equal(1, map.Height);
        Assert.Equal(2, map.Width);
        Assert.Equal(3, map[0, 0]); // c0 x0 (1) + c1 x0 (2)
        Assert.Equal(1, map[0, 1]);
    }

    [Fact]
    public void MostConnectedNodesAreOrderedByConnectivityThenIndex() =>
        Assert.Equal([1, 2, 0], MostConnectedNodes.Top([3, 5, 5, 1], 3));
}
