using System.Globalization;

namespace Grid.Engine.Runtime;

/// <summary>
/// How long libtorch's OpenMP threads (GNU libgomp) spin at a barrier before they sleep. libgomp's default spins for
/// about 300,000 iterations; when more threads want the cores than there are (analyses beside training, a second
/// process), a thread that spins holds a core its team-mate needs, and training on this 2-core machine was measured
/// 9-27x slower. A short spin keeps training alone as fast and lets other threads run. libgomp reads the variable once,
/// when it is loaded, so it is set in the native environment before libtorch loads. A value the user set
/// (<c>GOMP_SPINCOUNT</c> or <c>OMP_WAIT_POLICY</c>) is left alone.
/// </summary>
public static class OpenMpWaitPolicy
{
    public const string SpinCountVariable = "GOMP_SPINCOUNT";
    public const string WaitPolicyVariable = "OMP_WAIT_POLICY";

    /// <summary>The spin count Grid sets; measured in docs/throughput.md.</summary>
    public const int DefaultSpinCount = 20_000;

    /// <summary>True when libgomp was already loaded the first time Grid could set the variable (it then keeps its default).</summary>
    public static bool Missed { get; private set; }

    /// <summary>Sets the variable as soon as the engine's assembly loads, before any of its code can load libtorch.</summary>
#pragma warning disable CA2255 // a module initializer on purpose: the variable must be set before libgomp loads
    [System.Runtime.CompilerServices.ModuleInitializer]
#pragma warning restore CA2255
    internal static void OnLoad() => Apply();

    /// <summary>Sets <see cref="SpinCountVariable"/> for libgomp unless the user chose a policy; returns the spin count in
    /// effect, or null when the user's setting rules or libgomp was loaded already (<see cref="Missed"/>).</summary>
    public static int? Apply()
    {
        if (Environment.GetEnvironmentVariable(SpinCountVariable) is not null && NativeEnvironment.Get(SpinCountVariable) is not null)
        {
            return null; // set already (by the user, or by an earlier call)
        }

        if (LibGompLoaded())
        {
            Missed = true;
            return null;
        }

        if (!OperatingSystem.IsLinux()
            || Environment.GetEnvironmentVariable(SpinCountVariable) is not null
            || Environment.GetEnvironmentVariable(WaitPolicyVariable) is not null)
        {
            return null;
        }

        NativeEnvironment.SetUnlessSet(SpinCountVariable, DefaultSpinCount.ToString(CultureInfo.InvariantCulture));
        return DefaultSpinCount;
    }

    /// <summary>Whether GNU OpenMP is mapped into this process (Linux; false elsewhere).</summary>
    public static bool LibGompLoaded() =>
        OperatingSystem.IsLinux() && File.Exists("/proc/self/maps") && File.ReadLines("/proc/self/maps").Any(l => l.Contains("libgomp", StringComparison.Ordinal));
}
