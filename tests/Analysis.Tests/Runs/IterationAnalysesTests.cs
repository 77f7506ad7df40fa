using System.Diagnostics;
using Grid.Analysis.Runs;
using Grid.Analysis.Tests.Support;
using Grid.Engine.Runs;
using Grid.Engine.Specs;
using Grid.Engine.Sweeps;
using Xunit.Abstractions;

namespace Grid.Analysis.Tests.Runs;

[Collection(TinySweepCollection.Name)]
public sealed class IterationAnalysesTests(TinySweepFixture sweep, ITestOutputHelper log) : IDisposable
{
    private readonly TemporaryDirectory _temporary = new();

    /// <summary>Files each analysis must write for the tiny 784-16x3 net on one-channel images (S^dc left out).</summary>
    private static readonly Dictionary<string, string[]> Expected = new()
    {
        ["connectivity"] = ["connectivity-layer1.png", "connectivity-layer1.json", "connectivity-layer2.png", "connectivity-layer3.png", "connectivity-cout0.png", "connectivity-cout0.csv"],
        ["locality"] = ["locality-ssc.png", "locality-ssc.csv", "locality-ssc-by-cin.png", "locality-ssc-random-node.png", "locality-summary.json"],
        ["masks"] = ["masks-layer1.png", "masks-layer1.json", "masks-weights-layer1.png", "masks-effective-layer2.png", "masks-effective-layer3.png"],
        ["node-removal"] = ["node-removal.png", "node-removal.csv"],
        ["activations"] = ["activations.png", "activations.json"],
        ["curves"] = ["curves.png", "curves.csv"],
        ["evolution"] = ["evolution.gif", "evolution.json"],
    };

    [Fact]
    public void EveryAnalysisWritesItsFilesOnceAndSkipsTheSecondTime()
    {
        RunPlan plan = sweep.Plans[0];
        string run = sweep.CopyRun(plan, _temporary.File("run"));
        int last = new RunDirectory(run).FinishedIterations()[^1].Iteration;
        Assert.Equal(IterationAnalyses.Names.Order(), Expected.Keys.Order());

        foreach (string name in IterationAnalyses.Names)
        {
            IterationAnalysisResult first = IterationAnalyses.Run(name, plan.Spec, run, last, CancellationToken.None);
            log.WriteLine($"{name}: {first.Elapsed.TotalMilliseconds:F0} ms");
            Assert.Equal(AnalysisStatus.Computed, first.Status);
            string directory = name == "evolution" ? AnalysisLayout.Root(run) : AnalysisLayout.IterationDirectory(run, last);
            foreach (string file in Expected[name])
            {
                Assert.True(File.Exists(Path.Combine(directory, file)), $"{name} did not write {file}");
            }
            Assert.True(File.Exists(AnalysisLayout.RecordFile(directory, name)), $"{name} wrote no record");
            Assert.All(first.Files, file => Assert.True(new FileInfo(file).Length > 0, $"{file} is empty"));
            Assert.All(first.Files, file => Assert.StartsWith(name, Path.GetFileName(file), StringComparison.Ordinal));
            Assert.NotEmpty(first.Record!.Figures);
            foreach (AnalysisFigure figure in first.Record.Figures)
            {
                byte[] bytes = File.ReadAllBytes(first.Absolute(figure.Image));
                Assert.True(ImageFiles.IsPng(bytes) || ImageFiles.IsGif(bytes), $"{figure.Image} is neither PNG nor GIF");
                Assert.False(string.IsNullOrWhiteSpace(figure.Caption));
            }
        }
        Assert.False(File.Exists(Path.Combine(AnalysisLayout.IterationDirectory(run, last), "locality-sdc.png")), "S dc is drawn for one channel");

        var written = Directory.EnumerateFiles(AnalysisLayout.Root(run), "*", SearchOption.AllDirectories)
            .ToDictionary(f => f, f => File.GetLastWriteTimeUtc(f));
        foreach (string name in IterationAnalyses.Names)
        {
            IterationAnalysisResult second = IterationAnalyses.Run(name, plan.Spec, run, last, CancellationToken.None);
            Assert.Equal(AnalysisStatus.AlreadyDone, second.Status);
        }
        var after = Directory.EnumerateFiles(AnalysisLayout.Root(run), "*", SearchOption.AllDirectories)
            .ToDictionary(f => f, f => File.GetLastWriteTimeUtc(f));
        Assert.Equal(written, after);
    }

    [Fact]
    public void AnIterationWhoseFilesChangedIsNotAnalysedAndTheErrorNamesTheFile()
    {
        RunPlan plan = sweep.Plans[2];
        string run = sweep.CopyRun(plan, _temporary.File("run"));
        int last = new RunDirectory(run).FinishedIterations()[^1].Iteration;
        string final = Path.Combine(run, "iter-001", "final.npz");
        using (var stream = new FileStream(final, FileMode.Open))
        {
            stream.SetLength(stream.Length - 1);
        }

        var error = Assert.Throws<CorruptArtifactException>(() => IterationAnalyses.Run("masks", plan.Spec, run, 1, CancellationToken.None));
        Assert.Equal(final, error.File);
        Assert.Contains("truncated or overwritten", error.Message);
        // A per-run analysis reads every iteration up to the last: it refuses as well.
        var evolution = Assert.Throws<CorruptArtifactException>(() => IterationAnalyses.Run("evolution", plan.Spec, run, last, CancellationToken.None));
        Assert.Equal(final, evolution.File);
        Assert.False(Directory.Exists(AnalysisLayout.Root(run)), "nothing was written");
    }

    [Fact]
    public void AnAnalysisWithAMissingFileIsComputedAgain()
    {
        RunPlan plan = sweep.Plans[1];
        string run = sweep.CopyRun(plan, _temporary.File("run"));
        IterationAnalysisResult first = IterationAnalyses.Run("curves", plan.Spec, run, 0, CancellationToken.None);
        File.Delete(first.Files[0]);
        IterationAnalysisResult again = IterationAnalyses.Run("curves", plan.Spec, run, 0, CancellationToken.None);
        Assert.Equal(AnalysisStatus.Computed, again.Status);
        Assert.All(again.Files, file => Assert.True(File.Exists(file)));
        Assert.NotNull(IterationAnalyses.Find("curves", run, 0));
    }

    [Fact]
    public void EvolutionWaitsForTheLastIteration()
    {
        RunPlan plan = sweep.Plans[0];
        string run = sweep.CopyRun(plan, _temporary.File("run"));
        var outcomes = new RunDirectory(run).FinishedIterations();
        Assert.True(outcomes.Count >= 2, "the tiny run should have at least two iterations");
        IterationAnalysisResult early = IterationAnalyses.Run("evolution", plan.Spec, run, 0, CancellationToken.None);
        Assert.Equal(AnalysisStatus.NotApplicable, early.Status);
        Assert.Empty(early.Files);
        Assert.False(Directory.Exists(AnalysisLayout.Root(run)) && Directory.EnumerateFiles(AnalysisLayout.Root(run)).Any());
    }

    [Fact]
    public void UnknownNamesAreRejectedWithTheKnownOnes()
    {
        RunPlan plan = sweep.Plans[0];
        var error = Assert.Throws<ArgumentException>(() =>
            IterationAnalyses.Run("conectivity", plan.Spec, sweep.RunDirectory(plan), 0, CancellationToken.None));
        Assert.Contains("'conectivity'", error.Message);
        foreach (string name in IterationAnalyses.Names)
        {
            Assert.Contains(name, error.Message);
        }
    }

    [Fact]
    public void AnUnfinishedIterationIsRejected()
    {
        RunPlan plan = sweep.Plans[0];
        var error = Assert.Throws<InvalidOperationException>(() =>
            IterationAnalyses.Run("masks", plan.Spec, sweep.CopyRun(plan, _temporary.File("run")), 42, CancellationToken.None));
        Assert.Contains("iter-042", error.Message);
    }

    [Fact]
    public void DefaultsLeaveTheNetworkAnalysesOutOnImageNet()
    {
        Assert.Equal(IterationAnalyses.Names, IterationAnalyses.Default);
        Assert.Equal(IterationAnalyses.Default, IterationAnalyses.DefaultFor(new ExperimentSpec()));
        var imageNet = new ExperimentSpec { Dataset = new DatasetSpec { Name = DatasetNames.ImageNet32 } };
        Assert.DoesNotContain("node-removal", IterationAnalyses.DefaultFor(imageNet));
        Assert.DoesNotContain("activations", IterationAnalyses.DefaultFor(imageNet));
        Assert.Contains("locality", IterationAnalyses.DefaultFor(imageNet));
    }

    [Fact]
    public void ASweepListIsTakenAsItIsEmptyMeansDefaultsAndNoneMeansNothing()
    {
        var imageNet = new ExperimentSpec { Dataset = new DatasetSpec { Name = DatasetNames.ImageNet32 } };

        Assert.Equal(["curves", "masks"], IterationAnalyses.ForSweep(["curves", "masks"], imageNet));
        Assert.Equal(IterationAnalyses.DefaultFor(imageNet), IterationAnalyses.ForSweep([], imageNet));
        Assert.Empty(IterationAnalyses.ForSweep([SweepDefinition.NoAnalyses], new ExperimentSpec()));
    }

    public void Dispose() => _temporary.Dispose();
}
