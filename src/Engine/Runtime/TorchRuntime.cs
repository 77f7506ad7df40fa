using System.Runtime.InteropServices;
using TorchSharp;

namespace Grid.Engine.Runtime;

/// <summary>
/// Loads TorchSharp's native library once per process. Where the build repaired libLibTorchSharp.so for an
/// older libstdc++ (build/torch), the shim that provides the missing symbol is loaded globally first; so is, on AMD
/// processors with AVX-512, the shim that lets MKL take its AVX-512 kernels (<see cref="MklDispatch"/>).
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
            if (FindNative(ShimName) is { } shim)
            {
                LoadGlobal(shim);
            }

            MklDispatch.Apply(LoadGlobal);
        }
        torch.InitializeDeviceType(DeviceType.CPU);
        return true;
    }

    /// <summary>Loads a library so that its symbols are found before those of libraries loaded later (or not yet bound).</summary>
    private static IntPtr LoadGlobal(string path)
    {
        var handle = DlOpen(path, RtldNow | RtldGlobal);
        return handle != IntPtr.Zero
            ? handle
            : throw new InvalidOperationException($"Could not load {path}: {Marshal.PtrToStringAnsi(DlError())}");
    }

    /// <summary>A native library the build put beside the application or beside libLibTorchSharp.so; null when absent
    /// (and on other systems than Linux, where the build makes none).</summary>
    internal static string? FindNative(string name)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        string baseDir = AppContext.BaseDirectory;
        string[] candidates =
        [
            Path.Combine(baseDir, name),
            Path.Combine(baseDir, "runtimes", "linux-x64", "native", name),
        ];
        return candidates.FirstOrDefault(File.Exists);
    }
}
