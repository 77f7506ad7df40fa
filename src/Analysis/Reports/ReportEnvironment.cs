using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Grid.Analysis.Reports;

/// <summary>Where and with what the report was produced (the training environment is recorded per run by the engine).</summary>
internal static class ReportEnvironment
{
    public static IReadOnlyList<(string Name, string Value)> Describe(DateTimeOffset now) =>
    [
        ("machine", Environment.MachineName),
        ("operating system", RuntimeInformation.OSDescription),
        ("architecture", RuntimeInformation.OSArchitecture.ToString()),
        (".NET", RuntimeInformation.FrameworkDescription),
        ("TorchSharp", VersionOf(typeof(TorchSharp.torch).Assembly)),
        ("Grid.Analysis", VersionOf(typeof(ReportEnvironment).Assembly)),
        ("CPU count", Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture)),
        ("report written", now.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture)),
    ];

    private static string VersionOf(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? assembly.GetName().Version?.ToString()
        ?? "unknown";
}
