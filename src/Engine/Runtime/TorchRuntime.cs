using System.Runtime.InteropServices;
using TorchSharp;

namespace Grid.Engine.Runtime;

/// <summary>
/// Loads TorchSharp's native library once per process. Where the build repaired libLibTorchSharp.so for an
/// older libstdc++ (build/torch), the shim that provides the missing symbol is loaded globally first.
/// </summary>
public static class TorchRuntime
{
    private const string ShimName = "libgrid_iosbase_shim.so";
    private const int RtldNow = 2;
    private const int RtldGlobal = 0x100;
    private static readonly Lazy<bool> Initialised = new(Initialise, LazyThreadSafetyMode.ExecutionAndPublication);

    [DllImport("libc", EntryPoint = "dlopen")]
    private static extern IntPtr DlOpen(string fileName, int flags);

    [DllImport("libc", EntryPoint = "dlerror")]
    private static extern IntPtr DlError();

    /// <summary>Call before the first use of torch; cheap after the first call.</summary>
    public static void EnsureLoaded() => _ = Initialised.Value;

    private static bool Initialise()
    {
        OpenMpWaitPolicy.Apply();
        if (OperatingSystem.IsLinux())
        {
            var shim = FindShim();
            if (shim is not null && DlOpen(shim, RtldNow | RtldGlobal) == IntPtr.Zero)
            {
                throw new InvalidOperationException(
                    $"Could not load {shim}: {Marshal.PtrToStringAnsi(DlError())}");
            }
        }
        torch.InitializeDeviceType(DeviceType.CPU);
        return true;
    }

    private static string? FindShim()
    {
        string baseDir = AppContext.BaseDirectory;
        string[] candidates =
        [
            Path.Combine(baseDir, ShimName),
            Path.Combine(baseDir, "runtimes", "linux-x64", "native", ShimName),
        ];
        return candidates.FirstOrDefault(File.Exists);
    }
}
