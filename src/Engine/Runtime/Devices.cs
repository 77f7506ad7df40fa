using TorchSharp;

namespace Grid.Engine.Runtime;

/// <summary>Resolves the device names used in configuration: cpu, cuda, cuda:N, auto.</summary>
public static class Devices
{
    public static torch.Device Resolve(string name)
    {
        TorchRuntime.EnsureLoaded();
        string normalised = name.Trim().ToLowerInvariant();
        if (normalised == "auto")
        {
            return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
        }

        if (normalised == "cpu")
        {
            return torch.CPU;
        }

        if (normalised == "cuda" || normalised.StartsWith("cuda:", StringComparison.Ordinal))
        {
            if (!torch.cuda.is_available())
            {
                throw new ArgumentException($"device '{name}': CUDA is not available on this host (build with -p:TorchBackend=cuda on a GPU host)");
            }

            return new torch.Device(normalised);
        }

        throw new ArgumentException($"device '{name}': expected cpu, cuda, cuda:N or auto");
    }
}
