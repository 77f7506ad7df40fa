using Grid.Analysis.Masks;
using Grid.Engine.IO;
using Grid.Engine.Runs;

namespace Grid.Analysis.Runs;

/// <summary>Reads the engine's .npz artifacts straight into analysis types (no torch needed).</summary>
public static class MaskArchive
{
    /// <summary>mask.npz: layer1..layerL, each [n_out, n_in] (uint8; bool and float accepted).</summary>
    public static IReadOnlyList<LayerMask> LoadMasks(string path)
    {
        IReadOnlyDictionary<string, NpyArray> arrays = NpzFile.Read(path);
        var masks = new List<LayerMask>();
        for (int l = 0; arrays.TryGetValue(TensorArchive.LayerKey(l), out NpyArray? array); l++)
        {
            masks.Add(ToMask(array, path));
        }
        if (masks.Count == 0)
        {
            throw new InvalidDataException($"{path}: no array '{TensorArchive.LayerKey(0)}'");
        }
        return masks;
    }

    /// <summary>The mask of one linear layer (0-based) only.</summary>
    public static LayerMask LoadMask(string path, int layer)
    {
        string key = TensorArchive.LayerKey(layer);
        return NpzFile.Read(path, key).TryGetValue(key, out NpyArray? array)
            ? ToMask(array, path)
            : throw new InvalidDataException($"{path}: no array '{key}'");
    }

    /// <summary>The weight [n_out, n_in] of linear layer <paramref name="layer"/> (0-based) from final.npz.</summary>
    public static float[] LoadLinearWeight(string path, int layer)
    {
        string key = $"_linears.{layer}.weight";
        IReadOnlyDictionary<string, NpyArray> arrays = NpzFile.Read(path, key);
        if (!arrays.TryGetValue(key, out NpyArray? array))
        {
            throw new InvalidDataException($"{path}: no array '{key}'");
        }
        return array.Data switch
        {
            float[] values => values,
            double[] values => [.. values.Select(v => (float)v)],
            _ => throw new InvalidDataException($"{path}: '{key}' is {array.Dtype}, expected float32"),
        };
    }

    private static LayerMask ToMask(NpyArray array, string path)
    {
        if (array.Rank != 2)
        {
            throw new InvalidDataException($"{path}: a mask must be 2-D [n_out, n_in], got rank {array.Rank}");
        }
        int nodes = checked((int)array.Shape[0]), inputs = checked((int)array.Shape[1]);
        return array.Data switch
        {
            byte[] values => new LayerMask(nodes, inputs, values),
            bool[] values => new LayerMask(nodes, inputs, [.. values.Select(v => v ? (byte)1 : (byte)0)]),
            float[] values => LayerMask.FromNonZero(nodes, inputs, values),
            _ => throw new InvalidDataException($"{path}: unsupported mask type {array.Dtype}"),
        };
    }
}
