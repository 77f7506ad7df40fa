using System.Runtime.InteropServices;
using System.Text.Json;
using Grid.Engine.Data;
using Grid.Engine.IO;
using Grid.Engine.Runs;
using Grid.Engine.Training;

namespace Grid.Grains.Failures;

/// <summary>
/// Tells failures that recur on every try from those that may pass. Training is deterministic: the same spec, data,
/// device and stored artifacts give the same exception again, so anything not known to be transient is permanent (bad
/// spec, bad or missing data, bad device, diverged training). Transient: I/O errors other than a missing or malformed
/// file, timeouts, out of memory, Orleans messaging. A missing or malformed file inside the run directory is a
/// corrupt artifact: the run sets the bad iterations aside and trains them again.
/// </summary>
public static class TrainingFailures
{
    private const int MaxReasonLength = 400;

    public static TrainingFailure Classify(Exception error, string runDirectory)
    {
        var cause = Unwrap(error);
        var kind = KindOf(cause, runDirectory);
        return new TrainingFailure(kind, Reason(cause));
    }

    private static FailureKind KindOf(Exception error, string runDirectory) => error switch
    {
        CorruptArtifactException => FailureKind.CorruptArtifact,
        NpyFormatException npy when Inside(npy.File, runDirectory) => FailureKind.CorruptArtifact,
        FileNotFoundException missing when Inside(missing.FileName, runDirectory) => FailureKind.CorruptArtifact,
        TrainingDivergedException or DatasetException or NpyFormatException or InvalidDataException or FileNotFoundException
            or DirectoryNotFoundException or PathTooLongException or UnauthorizedAccessException or JsonException
            or FormatException or ArgumentException or NotSupportedException or InvalidOperationException
            or IndexOutOfRangeException or KeyNotFoundException or TypeInitializationException or DllNotFoundException => FailureKind.Permanent,
        TimeoutException or OperationCanceledException or OutOfMemoryException or InsufficientExecutionStackException
            or IOException or OrleansException => FailureKind.Transient,
        ExternalException native when native.Message.Contains("out of memory", StringComparison.OrdinalIgnoreCase) => FailureKind.Transient,
        _ => FailureKind.Permanent,
    };

    /// <summary>The first line of the message (libtorch appends its C++ stack), prefixed by the type when the message
    /// alone may not say what went wrong.</summary>
    private static string Reason(Exception error)
    {
        string message = error.Message.Split('\n', 2)[0].Trim();
        bool selfExplaining = error is CorruptArtifactException or TrainingDivergedException or DatasetException or NpyFormatException;
        string reason = selfExplaining ? message : $"{error.GetType().Name}: {message}";
        return reason.Length <= MaxReasonLength ? reason : reason[..MaxReasonLength] + "…";
    }

    private static Exception Unwrap(Exception error) => error switch
    {
        AggregateException { InnerExceptions.Count: 1 } aggregate => Unwrap(aggregate.InnerExceptions[0]),
        System.Reflection.TargetInvocationException { InnerException: { } inner } => Unwrap(inner),
        _ => error,
    };

    private static bool Inside(string? file, string directory)
    {
        if (string.IsNullOrEmpty(file) || string.IsNullOrEmpty(directory))
        {
            return false;
        }

        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)) + Path.DirectorySeparatorChar;
        return Path.GetFullPath(file).StartsWith(root, StringComparison.Ordinal);
    }
}
