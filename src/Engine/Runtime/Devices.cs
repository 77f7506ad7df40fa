using System.Text.RegularExpressions;
using TorchSharp;

namespace Grid.Engine.Runtime;

/// <summary>Resolves the device names used in configuration: cpu, cuda, cuda:N, auto.</summary>
public static partial class Devices
{
    public const string Expected = "expected cpu, cuda, cuda:N or auto";

    [GeneratedRegex("^(cpu|auto|cuda|cuda:[0-9]+)$")]
    private static partial Regex NamePattern();

    /// <summary>Why <paramref name="name"/> is not a device name, or null when it is one (checked without loading libtorch).</summary>
    public static string? NameProblem(string? name) =>
        string.IsNullOrWhiteSpace(name) ? $"device is empty; {Expected}"
            : NamePattern().IsMatch(name.Trim().ToLowerInvariant()) ? null
            : $"device '{name}': {Expected}";

    /// <summary>Why training on <paramref name="name"/> would fail here, or null: the name, and for cuda names whether
    /// this host has that CUDA device (which loads libtorch; cpu and auto never need it).</summary>
    public static string? Check(string name)
    {
        if (NameProblem(name) is { } problem)
        {
            return problem;
        }

        if (!name.Trim().StartsWith("cuda", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            Resolve(name);
            return null;
        }
        catch (ArgumentException error)
        {
            return error.Message;
        }
    }

    public static torch.Device Resolve(string name)
    {
        if (NameProblem(name) is { } problem)
        {
            throw new ArgumentException(problem);
        }

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

        if (!torch.cuda.is_available())
        {
            throw new ArgumentException($"device '{name}': CUDA is not available on this host (build with -p:TorchBackend=cuda on a GPU host)");
        }

        var device = new torch.Device(normalised);
        int count = torch.cuda.device_count();
        if (device.index >= count)
        {
            throw new ArgumentException($"device '{name}': this host has {count} CUDA device(s), cuda:0 to cuda:{count - 1}");
        }

        return device;
    }
}
