using System.Runtime.Intrinsics.X86;
using System.Text;

namespace Grid.Engine.Runtime;

/// <summary>Whether Grid loads its MKL dispatch shim, and why.</summary>
public sealed record MklDispatchChoice(bool LoadsShim, string Reason);

/// <summary>
/// Which kernels libtorch's MKL runs dense products with on the CPU. MKL looks at the processor's vendor before its
/// features: on AMD it takes its AVX2 kernels even where the cores run AVX-512 at full rate, and the paper network's dense
/// step took 2.2x as long on a Zen 5 (docs/throughput.md, "MKL's kernels on AMD"). On an AMD processor with AVX-512, Grid
/// loads a one-function shim (build/torch/mkl_dispatch_shim.c) that tells MKL the vendor is Intel; MKL then picks its
/// kernels by the processor's features. <c>GRID_MKL_AVX512=off</c> keeps MKL's own choice. The choice changes products'
/// bits, so it is part of the host profile's key (<see cref="HostProfile.Cpu"/>).
/// </summary>
public static class MklDispatch
{
    public const string Variable = "GRID_MKL_AVX512";
    public const string ShimName = "libgrid_mkl_dispatch_shim.so";

    private static readonly Lazy<MklDispatchChoice> Decided = new(() => Decide(Environment.GetEnvironmentVariable(Variable), IsAmdWithAvx512(), TorchRuntime.FindNative(ShimName)));

    /// <summary>This process's choice (the environment, the processor and the built shim), made once.</summary>
    public static MklDispatchChoice Choice => Decided.Value;

    /// <summary>The rule: <paramref name="setting"/> is <c>auto</c> (also when unset) or <c>off</c>.</summary>
    public static MklDispatchChoice Decide(string? setting, bool amdWithAvx512, string? shimPath)
    {
        if (SettingProblem(setting) is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        if (Normalised(setting) == "off")
        {
            return new(false, $"{Variable}=off: MKL's own choice");
        }

        if (!amdWithAvx512)
        {
            return new(false, "not an AMD processor with AVX-512: MKL's own choice");
        }

        return shimPath is null
            ? new(false, $"{ShimName} was not built beside libtorch (no gcc at build time?): MKL's own choice")
            : new(true, $"AMD processor with AVX-512: Grid's dispatch shim; {Variable}=off keeps MKL's own choice");
    }

    /// <summary>Why <paramref name="setting"/> (the variable's value, null when unset) is not a setting; null when it is one.</summary>
    public static string? SettingProblem(string? setting) =>
        Normalised(setting) is "auto" or "off"
            ? null
            : $"{Variable}='{setting}' is not a setting: use auto (the default: MKL's AVX-512 kernels on AMD processors that have AVX-512) or off (MKL's own choice)";

    /// <summary>The setting as compared: trimmed, lower case, <c>auto</c> when unset or blank.</summary>
    private static string Normalised(string? setting) => string.IsNullOrWhiteSpace(setting) ? "auto" : setting.Trim().ToLowerInvariant();

    /// <summary>MKL's conditional numerical reproducibility setting, read when MKL starts.</summary>
    public const string ReproducibilityVariable = "MKL_CBWR";

    /// <summary>Strict reproducibility on the branch MKL picks: its AVX-512 products split their inner sums by the thread
    /// count (the quickstart's, LeNet's and the paper's forward products differed between 1 and 2 threads), and strict mode
    /// makes them give the same bits on any number of threads, which <see cref="Training.ThreadCalibration"/> requires before a
    /// slot may change its thread count (docs/throughput.md §2). It did not slow the dense steps measured.</summary>
    public const string StrictReproducibility = "AUTO,STRICT";

    /// <summary>Loads the shim when <see cref="Choice"/> says so, with <see cref="StrictReproducibility"/> unless the user set
    /// <see cref="ReproducibilityVariable"/>; before MKL first asks for the vendor (its first product).</summary>
    internal static void Apply(Func<string, IntPtr> loadGlobal)
    {
        if (Choice.LoadsShim)
        {
            NativeEnvironment.SetUnlessSet(ReproducibilityVariable, StrictReproducibility);
            loadGlobal(TorchRuntime.FindNative(ShimName)!);
        }
    }

    /// <summary>"AVX-512 with VNNI, strict reproducibility; AMD processor with AVX-512: Grid's dispatch shim ...": the
    /// kernels MKL runs products with in this process, as MKL reports them, and why.</summary>
    public static string Describe() => $"{MklKernels.Branch}; {Choice.Reason}";

    /// <summary>An x64 processor whose vendor is AMD and which has the AVX-512 subsets MKL's kernels use (F, BW, DQ, VL).</summary>
    public static bool IsAmdWithAvx512()
    {
        if (!X86Base.IsSupported || !(Avx512F.IsSupported && Avx512BW.IsSupported && Avx512DQ.IsSupported && Avx512F.VL.IsSupported))
        {
            return false;
        }

        var (_, ebx, ecx, edx) = X86Base.CpuId(0, 0);
        Span<byte> vendor = stackalloc byte[12];
        BitConverter.TryWriteBytes(vendor[..4], ebx);
        BitConverter.TryWriteBytes(vendor[4..8], edx);
        BitConverter.TryWriteBytes(vendor[8..], ecx);
        return Encoding.ASCII.GetString(vendor) == "AuthenticAMD";
    }
}
