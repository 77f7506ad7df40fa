using Grid.Engine.Runtime;
using Grid.Grains.Hosting;

namespace Grid.Grains.Training;

/// <summary>
/// The device of each training slot of a silo: every device of <see cref="GridOptions.Device"/> (a name, a list,
/// <c>cuda:all</c> or <c>auto</c>) with <see cref="GridOptions.DeviceSlots"/> slots each (when unset: one per core on
/// the CPU, one per CUDA device), in round-robin order so that consecutive iterations go to different devices.
/// </summary>
public sealed record SlotPlan(IReadOnlyList<string> SlotDevices)
{
    public int Slots => SlotDevices.Count;

    /// <summary>The distinct devices, in order.</summary>
    public IReadOnlyList<string> Devices => [.. SlotDevices.Distinct()];

    /// <summary>"cpu", "cuda:0,cuda:1", or "none" for a silo without slots.</summary>
    public string Summary => Slots == 0 ? "none" : string.Join(',', Devices);

    /// <param name="cudaDevices">CUDA devices on this host; null asks libtorch (only when the setting names CUDA or auto).</param>
    /// <param name="cores">the cores of this process (default: <see cref="Environment.ProcessorCount"/>)</param>
    public static SlotPlan Resolve(GridOptions options, int? cudaDevices = null, int? cores = null)
    {
        if (options.DeviceSlots is <= 0)
        {
            return new SlotPlan([]);
        }

        string setting = options.Device;
        bool mayUseCuda = setting.Contains("cuda", StringComparison.OrdinalIgnoreCase) || setting.Contains("auto", StringComparison.OrdinalIgnoreCase);
        var devices = Grid.Engine.Runtime.Devices.Expand(setting, cudaDevices ?? (mayUseCuda ? Grid.Engine.Runtime.Devices.CudaCount() : 0));
        int SlotsOf(string device) => options.DeviceSlots ?? (device == Grid.Engine.Runtime.Devices.Cpu ? Math.Max(1, cores ?? Environment.ProcessorCount) : 1);
        int rounds = devices.Max(SlotsOf);
        return new SlotPlan([.. Enumerable.Range(0, rounds).SelectMany(round => devices.Where(device => round < SlotsOf(device)))]);
    }
}
