namespace Grid.Engine.Training.Backprop;

/// <summary>
/// Where a layer's unpruned weights are, fixed for an iteration: by output row (CSR: the inputs of each output, in input
/// order) and by input column (CSC: the outputs of each input, in output order), each entry with its offset in the dense
/// [out, in] weight tensor. Entry k of the CSR order is also the layer's k-th gradient and optimiser slot.
/// </summary>
public sealed class SparseLayout
{
    private SparseLayout(int outputs, int inputs, int[] rowStarts, int[] rowInputs, int[] columnStarts, int[] columnOutputs, int[] columnEntries)
    {
        Outputs = outputs;
        Inputs = inputs;
        RowStarts = rowStarts;
        RowInputs = rowInputs;
        ColumnStarts = columnStarts;
        ColumnOutputs = columnOutputs;
        ColumnEntries = columnEntries;
    }

    public int Outputs { get; }

    public int Inputs { get; }

    /// <summary>Unpruned weights.</summary>
    public int Count => RowInputs.Length;

    /// <summary>CSR: entries of output j are RowStarts[j]..RowStarts[j+1]-1.</summary>
    public int[] RowStarts { get; }

    /// <summary>CSR: the input of each entry.</summary>
    public int[] RowInputs { get; }

    /// <summary>CSC: entries of input i are ColumnStarts[i]..ColumnStarts[i+1]-1 of <see cref="ColumnOutputs"/>.</summary>
    public int[] ColumnStarts { get; }

    /// <summary>CSC: the output of each entry.</summary>
    public int[] ColumnOutputs { get; }

    /// <summary>CSC: each entry's index in the CSR order.</summary>
    public int[] ColumnEntries { get; }

    /// <summary>The layout of a 0/1 mask stored row-major [outputs, inputs].</summary>
    public static SparseLayout FromMask(ReadOnlySpan<float> mask, int outputs, int inputs)
    {
        if (mask.Length != (long)outputs * inputs)
        {
            throw new ArgumentException($"mask has {mask.Length} values, expected {outputs} x {inputs}", nameof(mask));
        }

        var rowStarts = new int[outputs + 1];
        var columnCounts = new int[inputs + 1];
        for (int j = 0; j < outputs; j++)
        {
            var row = mask.Slice(j * inputs, inputs);
            int count = 0;
            for (int i = 0; i < inputs; i++)
            {
                if (row[i] != 0)
                {
                    count++;
                    columnCounts[i + 1]++;
                }
            }

            rowStarts[j + 1] = rowStarts[j] + count;
        }

        var rowInputs = new int[rowStarts[outputs]];
        for (int j = 0, k = 0; j < outputs; j++)
        {
            var row = mask.Slice(j * inputs, inputs);
            for (int i = 0; i < inputs; i++)
            {
                if (row[i] != 0)
                {
                    rowInputs[k++] = i;
                }
            }
        }

        var columnStarts = new int[inputs + 1];
        for (int i = 0; i < inputs; i++)
        {
            columnStarts[i + 1] = columnStarts[i] + columnCounts[i + 1];
        }

        var columnOutputs = new int[rowInputs.Length];
        var columnEntries = new int[rowInputs.Length];
        var cursor = columnStarts[..inputs];
        for (int j = 0; j < outputs; j++)
        {
            for (int k = rowStarts[j]; k < rowStarts[j + 1]; k++)
            {
                int at = cursor[rowInputs[k]]++;
                columnOutputs[at] = j;
                columnEntries[at] = k;
            }
        }

        return new SparseLayout(outputs, inputs, rowStarts, rowInputs, columnStarts, columnOutputs, columnEntries);
    }
}
