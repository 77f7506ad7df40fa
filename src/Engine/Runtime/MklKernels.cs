using System.Runtime.InteropServices;

namespace Grid.Engine.Runtime;

/// <summary>
/// The kernels libtorch's MKL runs products with in this process, as MKL itself reports them: its conditional numerical
/// reproducibility branch (mkl_cbwr.h) and whether strict reproducibility is on. Asking makes MKL detect the processor
/// once, so nothing here is asked before <see cref="TorchRuntime"/> has put <see cref="MklDispatch"/>'s shim in place.
/// </summary>
public static class MklKernels
{
    private static readonly Lazy<string> BranchDescription = new(() =>
        AutoBranch() is { } code ? $"{BranchName(code)}{(IsStrict() ? ", strict reproducibility" : "")}" : "unknown (libtorch without MKL)");

    /// <summary>"AVX-512 with VNNI, strict reproducibility".</summary>
    public static string Branch => BranchDescription.Value;

    /// <summary>"MKL, AVX-512 with VNNI, strict reproducibility": what computes this process's dense products on the CPU,
    /// recorded with each iteration (their bits depend on it).</summary>
    public static string Products => $"MKL, {Branch}";

    /// <summary>MKL's code of the branch it runs; null when libtorch has no MKL.</summary>
    public static int? AutoBranch()
    {
        if (MklFunction("mkl_serv_cbwr_get_auto_branch") is not { } export)
        {
            return null;
        }

        unsafe
        {
            return ((delegate* unmanaged<int>)export)();
        }
    }

    /// <summary>Whether MKL runs in strict reproducibility mode (the same bits on any number of threads).</summary>
    public static bool IsStrict() => MklFunction("mkl_serv_cbwr_get") is { } get && (Call(get, -1 /* MKL_CBWR_ALL */) & 0x10000 /* MKL_CBWR_STRICT */) != 0;

    /// <summary>Whether a branch code is one of MKL's AVX-512 branches.</summary>
    public static bool IsAvx512Branch(int code) => code is 12 or 14;

    public static string BranchName(int code) => code switch
    {
        2 => "MKL's own kernels for a processor not made by Intel",
        3 => "compatible",
        4 => "SSE2",
        6 => "SSSE3",
        7 => "SSE4.1",
        8 => "SSE4.2",
        9 => "AVX",
        10 => "AVX2",
        12 => "AVX-512",
        14 => "AVX-512 with VNNI",
        _ => $"MKL's branch {code}",
    };

    private static IntPtr? MklFunction(string name)
    {
        TorchRuntime.EnsureLoaded();
        return NativeLibrary.TryLoad("libtorch_cpu.so", out var torch) && NativeLibrary.TryGetExport(torch, name, out var export) ? export : null;
    }

    private static unsafe int Call(IntPtr function, int argument) => ((delegate* unmanaged<int, int>)function)(argument);
}
