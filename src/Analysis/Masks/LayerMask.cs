namespace Grid.Analysis.Masks;

/// <summary>
/// A 0/1 pruning mask of one linear layer, shaped like a torch Linear weight: [nodes (nOut), inputs (nIn)],
/// row-major, so row j holds the incoming connections of node j.
/// </summary>
public sealed class LayerMask
{
    private readonly byte[] _values;

    /// <param name="nodes">Rows, nOut.</param>
    /// <param name="inputs">Columns, nIn.</param>
    /// <param name="values">Row-major 0/1 values; copied. Any non-zero byte counts as 1.</param>
    public LayerMask(int nodes, int inputs, ReadOnlySpan<byte> values)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nodes);
        ArgumentOutOfRangeException.ThrowIfNegative(inputs);
        if (values.Length != (long)nodes * inputs)
        {
            throw new ArgumentException($"Expected {nodes}x{inputs} = {(long)nodes * inputs} values, got {values.Length}.", nameof(values));
        }
        Nodes = nodes;
        Inputs = inputs;
        _values = new byte[values.Length];
        for (int k = 0; k < values.Length; k++)
        {
            _values[k] = values[k] != 0 ? (byte)1 : (byte)0;
        }
    }

    private LayerMask(int nodes, int inputs, byte[] ownedValues)
    {
        Nodes = nodes;
        Inputs = inputs;
        _values = ownedValues;
    }

    public int Nodes { get; }
    public int Inputs { get; }

    /// <summary>Row-major 0/1 values, [Nodes, Inputs].</summary>
    public ReadOnlySpan<byte> Values => _values;

    /// <summary>The backing array, for zero-copy hand-over to native code; never to be modified.</summary>
    internal byte[] RawValues => _values;

    public bool this[int node, int input] => _values[(long)node * Inputs + input] != 0;

    /// <summary>The incoming connections of one node (0/1 per input).</summary>
    public ReadOnlySpan<byte> Row(int node) => _values.AsSpan(node * Inputs, Inputs);

    /// <summary>From a weight-shaped float array: every non-zero entry is kept.</summary>
    public static LayerMask FromNonZero(int nodes, int inputs, ReadOnlySpan<float> values)
    {
        if (values.Length != (long)nodes * inputs)
        {
            throw new ArgumentException($"Expected {nodes}x{inputs} values, got {values.Length}.", nameof(values));
        }
        var bytes = new byte[values.Length];
        for (int k = 0; k < values.Length; k++)
        {
            bytes[k] = values[k] != 0f ? (byte)1 : (byte)0;
        }
        return new LayerMask(nodes, inputs, bytes);
    }

    public static LayerMask FromRows(IReadOnlyList<IReadOnlyCollection<int>> connectedInputsPerNode, int inputs)
    {
        var bytes = new byte[(long)connectedInputsPerNode.Count * inputs];
        for (int j = 0; j < connectedInputsPerNode.Count; j++)
        {
            foreach (int i in connectedInputsPerNode[j])
            {
                ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)i, (uint)inputs);
                bytes[(long)j * inputs + i] = 1;
            }
        }
        return new LayerMask(connectedInputsPerNode.Count, inputs, bytes);
    }

    /// <summary>Takes ownership of an already-normalised 0/1 array (internal fast path).</summary>
    internal static LayerMask Wrap(int nodes, int inputs, byte[] zeroOneValues) => new(nodes, inputs, zeroOneValues);

    /// <summary>A mask with only the given nodes, in the given order.</summary>
    public LayerMask SelectNodes(IReadOnlyList<int> nodes)
    {
        var bytes = new byte[(long)nodes.Count * Inputs];
        for (int k = 0; k < nodes.Count; k++)
        {
            Row(nodes[k]).CopyTo(bytes.AsSpan(k * Inputs, Inputs));
        }
        return new LayerMask(nodes.Count, Inputs, bytes);
    }

    /// <summary>Number of unpruned entries.</summary>
    public long CountConnections()
    {
        long total = 0;
        foreach (byte value in _values)
        {
            total += value;
        }
        return total;
    }

    public bool ContentEquals(LayerMask other) =>
        Nodes == other.Nodes && Inputs == other.Inputs && _values.AsSpan().SequenceEqual(other._values);
}
