using TorchSharp;

namespace Grid.Engine.Runtime;

/// <summary>Resolves the device names used in configuration: cpu, cuda, cuda:N, auto; lists of them for a silo.</summary>
public static class Devices
{
    /// <summary>The CPU's canonical name.</summary>
    public const string Cpu = "cpu";

    /// <summary>
    /// The devices a silo trains on, from its setting: one name, a comma-separated list (<c>cuda:0,cuda:1</c>),
    /// <c>cuda:all</c> (every CUDA device libtorch reports) or <c>auto</c> (every CUDA device, else the CPU), given how
    /// many CUDA devices there are. Names come back canonical (<c>cuda</c> is <c>cuda:0</c>) and each at most once.
    /// </summary>
    public static IReadOnlyList<string> Expand(string setting, int cudaDevices)
    {
        var names = new List<string>();
        foreach (string part in setting.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            string name = part.ToLowerInvariant();
            IEnumerable<string> expanded = name switch
            {
                "auto" => cudaDevices > 0 ? CudaNames(cudaDevices) : ["cpu"],
                "cuda:all" => cudaDevices > 0 ? CudaNames(cudaDevices) : throw new ArgumentException($"device '{part}': CUDA is not available on this host (build with -p:TorchBackend=cuda on a GPU host)"),
                "cpu" => ["cpu"],
                "cuda" => [CudaName(part, 0, cudaDevices)],
                _ when name.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(name.AsSpan(5), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int index)
                    => [CudaName(part, index, cudaDevices)],
                _ => throw new ArgumentException($"device '{part}': expected cpu, cuda, cuda:N, cuda:all or auto (or a comma-separated list of them)"),
            };
            names.AddRange(expanded.Where(n => !names.Contains(n)));
        }

        return names.Count > 0 ? names : throw new ArgumentException("no device given: expected cpu, cuda, cuda:N, cuda:all or auto");
    }

    /// <summary>How many CUDA devices libtorch sees on this host (0 on a CPU build).</summary>
    public static int CudaCount()
    {
        TorchRuntime.EnsureLoaded();
        return torch.cuda.is_available() ? torch.cuda.device_count() : 0;
    }

    private static IEnumerable<string> CudaNames(int count) => Enumerable.Range(0, count).Select(i => $"cuda:{i}");

    private static string CudaName(string part, int index, int cudaDevices) =>
        cudaDevices == 0 ? throw new ArgumentException($"device '{part}': CUDA is not available on this host (build with -p:TorchBackend=cuda on a GPU host)")
        : index < cudaDevices ? $"cuda:{index}"
        : throw new ArgumentException($"device '{part}': this host has {cudaDevices} CUDA device{(cudaDevices == 1 ? "" : "s")} (cuda:0..cuda:{cudaDevices - 1})");

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
