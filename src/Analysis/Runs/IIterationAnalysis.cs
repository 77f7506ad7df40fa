namespace Grid.Analysis.Runs;

/// <summary>One named analysis of a finished iteration (or of a finished run); see <see cref="IterationAnalyses"/>.</summary>
public interface IIterationAnalysis
{
    /// <summary>Registry name, also the prefix of every file it writes.</summary>
    string Name { get; }

    /// <summary>One line for people (help text, the report).</summary>
    string Description { get; }

    /// <summary>Bumped when the outputs change meaning, so that stored results of an older version are recomputed.</summary>
    int Version { get; }

    AnalysisScope Scope { get; }

    /// <summary>True when it loads the trained network and the run's data (slower, needs the dataset files).</summary>
    bool NeedsTrainedNetwork { get; }

    /// <summary>When the sweep leaves its analysis list to the defaults: true to run on every finished iteration, false to
    /// run only on the iterations the report shows (the best and the last, once the run has trained), because it costs
    /// about as much CPU as training an iteration of a small network.</summary>
    bool EveryIterationByDefault => true;

    /// <summary>Why it does not apply to this iteration, or null when it does.</summary>
    string? NotApplicableReason(IterationArtifacts input) => null;

    /// <summary>Computes and writes the outputs, registering each with <paramref name="output"/>.</summary>
    void Write(IterationArtifacts input, AnalysisOutput output, CancellationToken cancellationToken);
}
