using Grid.Analysis.Runs;
using Grid.Analysis.Tests.Support;
using Grid.Engine.Runs;
using Grid.Engine.Runs.Store;
using Grid.Engine.Specs;
using static TorchSharp.torch;

namespace Grid.Analysis.Tests.Runs;

/// <summary>Two sweeps' run directories linked to the same stored iterations analyse each iteration once.</summary>
public sealed class SharedAnalysesTests : IDisposable
{
    private static readonly ExperimentSpec Spec = new()
    {
        Dataset = new DatasetSpec { Fraction = 0.05, ValSize = 500 },
        Network = new NetworkSpec { Hidden = [16, 16, 16] },
        Training = new TrainingSpec { BatchSize = 50, Steps = 40, ValidateEvery = 20 },
        Pruning = new PruningSpec { Rate = 0.5, RewindStep = 5, MaxIterations = 1 },
        Seed = 3,
    };

    private readonly TemporaryDirectory _directory = new();

    private string Root => _directory.Path;

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void The_second_run_directory_of_a_stored_iteration_takes_its_analyses_from_the_store()
    {
        string first = Linked("sweep-a"), second = Linked("sweep-b");
        RunExecutor.RunToEnd(Spec, first, CPU, null, CancellationToken.None);
        RunExecutor.RunToEnd(Spec with { Pruning = Spec.Pruning with { MaxIterations = 2 } }, second, CPU, null, CancellationToken.None);

        foreach (string name in new[] { "curves", "connectivity" })
        {
            var computed = IterationAnalyses.Run(name, Spec, first, 1, CancellationToken.None);
            Assert.Equal(AnalysisStatus.Computed, computed.Status);

            var shared = IterationAnalyses.Run(name, Spec, second, 1, CancellationToken.None);
            Assert.Equal(AnalysisStatus.Shared, shared.Status);
            Assert.Equal(computed.Record!.Files(), shared.Record!.Files());
            foreach (string file in shared.Record.Files())
            {
                Assert.Equal(File.ReadAllBytes(Path.Combine(first, file)), File.ReadAllBytes(Path.Combine(second, file)));
            }

            Assert.NotNull(IterationAnalyses.Find(name, second, 1)); // complete in the second run directory too
        }

        // An iteration only the second run has is computed there.
        Assert.Equal(AnalysisStatus.Computed, IterationAnalyses.Run("curves", Spec, second, 2, CancellationToken.None).Status);
    }

    [Fact]
    public void A_run_directory_that_trains_in_place_computes_its_own()
    {
        string inPlace = Path.Combine(Root, "in-place");
        RunExecutor.RunToEnd(Spec, inPlace, CPU, null, CancellationToken.None);
        Assert.Null(SharedAnalyses.StoredPart(inPlace, 1));
        Assert.Equal(AnalysisStatus.Computed, IterationAnalyses.Run("curves", Spec, inPlace, 1, CancellationToken.None).Status);
    }

    private string Linked(string sweep)
    {
        string directory = Path.Combine(Root, sweep, "runs", SpecJson.Hash(Spec));
        var store = RunStore.Of(Root);
        var identity = RunIdentity.Of(Spec);
        store.Register(identity);
        StoreLink.Write(directory, store, identity);
        return directory;
    }
}
