using Grid.Engine.Runtime;
using Grid.Engine.Specs;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Grid.Engine.Training.Backprop;

/// <summary>
/// A pruned linear layer trained at the cost of its unpruned weights only: the forward product Hᵀ = W·Aᵀ + b by output
/// rows (CSR), the input gradient Wᵀ·Gᵀ by input columns (CSC) and the weight gradient as one dot product per unpruned
/// weight (a sampled dense-dense product), all with the engine's SIMD loops (<see cref="SparseProducts"/>) on the CPU;
/// the unpruned weights are updated in place by <see cref="SparseWeightUpdate"/>, the bias by the dense optimiser. The
/// mask is fixed for the iteration. The dense weight tensor stays the master copy, so evaluation, hooks and checkpoints
/// see the same weights as ever. The products read the input and the output gradient packed (<see cref="PackedRows"/>):
/// the hidden layer beside the layer writes them so (<see cref="IPackedLinearKernel"/>), else the layer packs them.
/// </summary>
public sealed unsafe class SparseLinearKernel : IPackedLinearKernel
{
    private static readonly long[] BatchDimension = [1];
    private readonly Linear _linear;
    private readonly SparseLayout _layout;
    private readonly Func<int> _threads;
    private readonly SparseWeightUpdate _update;
    private readonly int[] _offsets;
    private readonly float[] _rowValues;
    private readonly float[] _columnValues;
    private readonly float[] _gradient;
    private readonly PackedRows _packedInput = new();
    private readonly PackedRows _packedGradient = new();

    public SparseLinearKernel(Linear linear, Tensor mask, TrainingSpec spec, Func<int> threads)
    {
        var weight = linear.weight!;
        if (weight.device_type != TorchSharp.DeviceType.CPU)
        {
            throw new ArgumentException($"training.kernel: the sparse kernel runs on the CPU, not on {weight.device}");
        }

        _linear = linear;
        _threads = threads;
        int outputs = (int)weight.shape[0], inputs = (int)weight.shape[1];
        using var cpuMask = mask.to(CPU).contiguous();
        _layout = SparseLayout.FromMask(new ReadOnlySpan<float>(TensorMemory.Floats(cpuMask), outputs * inputs), outputs, inputs);
        _offsets = new int[_layout.Count];
        for (int j = 0; j < outputs; j++)
        {
            for (int k = _layout.RowStarts[j]; k < _layout.RowStarts[j + 1]; k++)
            {
                _offsets[k] = j * inputs + _layout.RowInputs[k];
            }
        }

        _rowValues = new float[_layout.Count];
        _columnValues = new float[_layout.Count];
        _gradient = new float[_layout.Count];
        _update = SparseWeightUpdate.For(spec, _layout.Count);
    }

    public string Kind => "sparse";

    public bool UpdatesWeights => true;

    /// <summary>Unpruned weights of the layer.</summary>
    public int Count => _layout.Count;

    public PackedRows PackedInput => _packedInput;

    public PackedRows PackedGradient => _packedGradient;

    public Tensor Forward(Tensor inputT)
    {
        int n = (int)inputT.shape[1], threads = _threads();
        if (inputT.is_contiguous())
        {
            _packedInput.FillRows(TensorMemory.Floats(inputT), _layout.Inputs, n, threads);
            return ForwardPacked(n);
        }

        // The first layer: a transposed view of the row-major batch, packed chunk by chunk as the product reaches it.
        using var rowMajor = inputT.t();
        float* images = TensorMemory.Floats(rowMajor.is_contiguous() ? rowMajor : throw new ArgumentException("expected feature-major activations or a transposed row-major batch"));
        int inputs = _layout.Inputs;
        return ForwardPackingEachChunk(n, (packed, chunk) => packed.FillColumnsOfChunk(images, inputs, n, chunk));
    }

    /// <summary>The forward product of an input of <paramref name="n"/> columns that <paramref name="pack"/> packs chunk
    /// by chunk into <see cref="PackedInput"/> just before the product reads the chunk (the first layer: from the batch,
    /// or from the dataset's bytes, <see cref="DrawnBatch.PackColumns"/>).</summary>
    public Tensor ForwardPackingEachChunk(int n, Action<PackedRows, int> pack)
    {
        _packedInput.Prepare(_layout.Inputs, n);
        return ForwardPacked(n, chunk => pack(_packedInput, chunk));
    }

    public Tensor ForwardPacked(int n) => ForwardPacked(n, pack: null);

    private Tensor ForwardPacked(int n, Action<int>? pack)
    {
        var output = empty(_layout.Outputs, n);
        float* weights = TensorMemory.Floats(_linear.weight!);
        for (int k = 0; k < _rowValues.Length; k++)
        {
            _rowValues[k] = weights[_offsets[k]];
        }

        fixed (float* values = _rowValues)
        {
            SparseProducts.Combine(_layout.Outputs, n, _layout.RowStarts, _layout.RowInputs, values, _packedInput, TensorMemory.Floats(_linear.bias!), TensorMemory.Floats(output), _threads(), pack);
        }

        return output;
    }

    /// <summary>Needs the input packed by this step's forward pass (the weight gradient reads it from there).</summary>
    public Tensor? Backward(Tensor gradientT, Tensor inputT, bool inputGradient)
    {
        var gradient = gradientT.is_contiguous() ? gradientT : gradientT.contiguous();
        int n = (int)gradient.shape[1];
        _packedGradient.FillRows(TensorMemory.Floats(gradient), _layout.Outputs, n, _threads());
        var input = BackwardPacked(n, gradient.sum(BatchDimension), inputGradient);
        if (!ReferenceEquals(gradient, gradientT))
        {
            gradient.Dispose();
        }

        return input;
    }

    public Tensor? BackwardPacked(int n, Tensor biasGradient, bool inputGradient)
    {
        int threads = _threads();
        fixed (float* results = _gradient)
        {
            WeightGradient(_layout, n, _packedGradient, _packedInput, results, scratch: _columnValues, threads); // refilled below
        }

        _linear.bias!.grad = biasGradient;
        if (!inputGradient)
        {
            return null;
        }

        for (int e = 0; e < _columnValues.Length; e++)
        {
            _columnValues[e] = _rowValues[_layout.ColumnEntries[e]];
        }

        var input = empty(_layout.Inputs, n);
        fixed (float* values = _columnValues)
        {
            SparseProducts.Combine(_layout.Inputs, n, _layout.ColumnStarts, _layout.ColumnOutputs, values, _packedGradient, null, TensorMemory.Floats(input), threads);
        }

        return input;
    }

    /// <summary>The gradient of the unpruned weights (in the layout's CSR order) from the packed output gradient and
    /// input. The operand a walk reads at random should stay in cache: walking by output (CSR) reads the input's rows at
    /// random, so when one chunk of them exceeds <see cref="CacheBudgetBytes"/> and the outputs are fewer, the walk goes
    /// by input (CSC) into <paramref name="scratch"/> (one value per unpruned weight, CSC order), then into CSR order
    /// (written in CSR order directly, two threads shared the cache lines of every row). Measured on a 1024x3072 layer,
    /// batch 1000: by input 1.4–1.7x faster at u = 1 %, 1.2x at 10 %, equal at 34 %; on 10x1024 and 10x128 output layers
    /// slower (docs/throughput.md). The walk changes no bits; <paramref name="byInput"/> overrides the choice (benchmarks).</summary>
    public static void WeightGradient(SparseLayout layout, int n, PackedRows gradient, PackedRows input, float* results, float[] scratch, int threads, bool? byInput = null)
    {
        if (!(byInput ?? WalksByInput(layout)))
        {
            SparseProducts.Dots(layout.Outputs, n, layout.RowStarts, layout.RowInputs, gradient, input, results, threads);
            return;
        }

        fixed (float* byColumn = scratch)
        {
            SparseProducts.Dots(layout.Inputs, n, layout.ColumnStarts, layout.ColumnOutputs, input, gradient, byColumn, threads);
        }

        var entries = layout.ColumnEntries;
        for (int e = 0; e < entries.Length; e++)
        {
            results[entries[e]] = scratch[e];
        }
    }

    /// <summary>Whether <see cref="WeightGradient"/> walks the layout by input: a chunk of the input's rows exceeds
    /// <see cref="CacheBudgetBytes"/> and the outputs are fewer.</summary>
    public static bool WalksByInput(SparseLayout layout) =>
        (long)layout.Inputs * SparseProducts.Chunk * sizeof(float) > CacheBudgetBytes && layout.Outputs < layout.Inputs;

    /// <summary>Half the L2 cache of a core of the development host (AMD EPYC Zen 4: 1 MB).</summary>
    private const long CacheBudgetBytes = 512 * 1024;

    public void Update()
    {
        fixed (float* gradient = _gradient)
        {
            _update.Step(TensorMemory.Floats(_linear.weight!), _offsets, gradient, _gradient.Length);
        }
    }

    public void Dispose()
    {
        _packedInput.Dispose();
        _packedGradient.Dispose();
    }

    /// <summary>The gradient of the unpruned weights from the last backward pass, as a dense [out, in] tensor (tests).</summary>
    public Tensor DenseWeightGradient()
    {
        var dense = zeros(_layout.Outputs, _layout.Inputs);
        float* target = TensorMemory.Floats(dense);
        for (int k = 0; k < _gradient.Length; k++)
        {
            target[_offsets[k]] = _gradient[k];
        }

        return dense;
    }
}
