using Grid.Engine.IO;
using static TorchSharp.torch;

namespace Grid.Engine.Runs;

/// <summary>Named tensors as .npz files loadable by numpy (float32 weights, uint8 masks, int64 counters).</summary>
public static class TensorArchive
{
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors) =>
        NpzWriter.Write(path, tensors.ToDictionary(entry => entry.Key, entry => ToNpy(entry.Value)));

    public static Dictionary<string, Tensor> Load(string path) =>
        NpzFile.Read(path).ToDictionary(entry => entry.Key, entry => FromNpy(entry.Value));

    /// <summary>Saves layer masks as uint8 arrays named layer1, layer2, ….</summary>
    public static void SaveMasks(string path, IReadOnlyList<Tensor> masks) =>
        NpzWriter.Write(path, masks.Select((mask, l) => (Key: LayerKey(l), Array: ToNpy(mask.to_type(ScalarType.Byte))))
            .ToDictionary(entry => entry.Key, entry => entry.Array));

    public static IReadOnlyList<Tensor> LoadMasks(string path)
    {
        var arrays = NpzFile.Read(path);
        return [.. Enumerable.Range(0, arrays.Count).Select(l => arrays.TryGetValue(LayerKey(l), out var array)
            ? FromNpy(array).to_type(float32)
            : throw new InvalidDataException($"{path}: no array '{LayerKey(l)}'"))];
    }

    public static string LayerKey(int layer) => $"layer{layer + 1}";

    private static NpyArray ToNpy(Tensor tensor)
    {
        using var cpu = tensor.detach().to(CPU).contiguous();
        long[] shape = cpu.shape;
        return cpu.dtype switch
        {
            ScalarType.Float32 => new NpyArray(NpyDtype.Float32, shape, cpu.data<float>().ToArray()),
            ScalarType.Float64 => new NpyArray(NpyDtype.Float64, shape, cpu.data<double>().ToArray()),
            ScalarType.Int64 => new NpyArray(NpyDtype.Int64, shape, cpu.data<long>().ToArray()),
            ScalarType.Int32 => new NpyArray(NpyDtype.Int32, shape, cpu.data<int>().ToArray()),
            ScalarType.Byte => new NpyArray(NpyDtype.UInt8, shape, cpu.data<byte>().ToArray()),
            ScalarType.Bool => new NpyArray(NpyDtype.Bool, shape, cpu.data<bool>().ToArray()),
            _ => throw new NotSupportedException($"cannot store tensors of type {cpu.dtype} in .npz"),
        };
    }

    private static Tensor FromNpy(NpyArray array) => array.Data switch
    {
        float[] values => tensor(values, array.Shape),
        double[] values => tensor(values, array.Shape),
        long[] values => tensor(values, array.Shape),
        int[] values => tensor(values, array.Shape),
        byte[] values => tensor(values, array.Shape),
        bool[] values => tensor(values, array.Shape),
        _ => throw new NotSupportedException($"cannot load arrays of dtype {array.Dtype}"),
    };
}
