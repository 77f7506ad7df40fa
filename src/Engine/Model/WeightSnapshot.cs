using static TorchSharp.torch;

namespace Grid.Engine.Model;

/// <summary>A CPU copy of a model's parameters and buffers (state_dict), e.g. the rewind weights.</summary>
public sealed class WeightSnapshot : IDisposable
{
    private readonly Dictionary<string, Tensor> _tensors;

    private WeightSnapshot(Dictionary<string, Tensor> tensors) => _tensors = tensors;

    public IReadOnlyDictionary<string, Tensor> Tensors => _tensors;

    public static WeightSnapshot Capture(nn.Module module)
    {
        using var _ = no_grad();
        var copies = module.state_dict().ToDictionary(
            entry => entry.Key,
            entry => entry.Value.detach().to(CPU).clone().DetachFromDisposeScope());
        return new WeightSnapshot(copies);
    }

    public static WeightSnapshot FromTensors(IReadOnlyDictionary<string, Tensor> tensors) =>
        new(tensors.ToDictionary(entry => entry.Key, entry => entry.Value.DetachFromDisposeScope()));

    /// <summary>Copies every stored tensor into the module (strict: names and shapes must match).</summary>
    public void Restore(nn.Module module)
    {
        using var _ = no_grad();
        var target = module.state_dict();
        foreach (var (name, tensor) in target)
        {
            if (!_tensors.TryGetValue(name, out var stored))
            {
                throw new InvalidOperationException($"snapshot has no tensor '{name}'");
            }

            if (!stored.shape.SequenceEqual(tensor.shape))
            {
                throw new InvalidOperationException($"snapshot tensor '{name}' has shape [{string.Join(',', stored.shape)}], model expects [{string.Join(',', tensor.shape)}]");
            }

            tensor.copy_(stored);
        }
    }

    public void Dispose()
    {
        foreach (var tensor in _tensors.Values)
        {
            tensor.Dispose();
        }
    }
}
