using static TorchSharp.torch;

namespace Grid.Engine.Runs;

/// <summary>Named tensors in .npz files loadable by numpy.</summary>
public static class TensorArchive
{
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors) => throw new NotImplementedException();
    public static Dictionary<string, Tensor> Load(string path) => throw new NotImplementedException();
    public static void SaveList(string path, string prefix, IReadOnlyList<Tensor> tensors) => throw new NotImplementedException();
    public static IReadOnlyList<Tensor> LoadList(string path, string prefix) => throw new NotImplementedException();
}
