using Grid.Engine.Specs;
using Grid.Engine.Sweeps;
using Grid.Tests.Support;

namespace Grid.Tests.Cluster;

/// <summary>
/// A sweep submitted again with another analysis list takes the new list: the change is reported, written to
/// sweep.json, and the listed analyses run on every finished iteration without retraining anything.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class AnalysisChangeTests(SimulatedClusterFixture fixture)
{
    private GridCluster Grid => fixture.Grid;

    [Fact]
    public async Task A_changed_analysis_list_of_a_finished_sweep_is_applied_to_every_finished_iteration()
    {
        string yaml = TestSweeps.Simulated("analysis-change", iterations: 2, seeds: "[0]", fractions: "[1]");
        var (coordinator, first, _) = await Grid.SubmitAsync(yaml + "\nanalysis: [curves]\n");
        await GridCluster.WaitForAsync(coordinator, s => s.State == SweepState.Finished, "the sweep to finish");
        string directory = first.Sweep!.Directory;
        Assert.Null(first.PreviousAnalysis);
        Assert.Equal([(0, "curves"), (1, "curves")], Analysed(directory));
        int trained = RecordingTrainer.For(directory).Count;

        var (again, second, _) = await Grid.SubmitAsync(yaml + "\nanalysis: [curves, masks]\n");
        var status = await GridCluster.WaitForAsync(again, s => s.State == SweepState.Finished && s.Runs.All(r => r.AnalysesPending == 0), "the new analyses to be done");

        Assert.Equal(["curves"], second.PreviousAnalysis);
        Assert.Equal(["curves", "masks"], second.Sweep!.Analysis);
        Assert.Equal(["curves", "masks"], status.Sweep.Analysis);
        Assert.Equal([(0, "curves"), (0, "masks"), (1, "curves"), (1, "masks")], Analysed(directory));
        Assert.Equal(trained, RecordingTrainer.For(directory).Count);
        var manifest = SpecJson.Parse<SweepManifest>(File.ReadAllText(Path.Combine(Grid.Results, directory, SweepLayout.ManifestFile)));
        Assert.Equal(["curves", "masks"], manifest.Analysis);
        Assert.EndsWith("analysis: [curves, masks]\n", File.ReadAllText(Path.Combine(Grid.Results, directory, SweepLayout.SourceFile)), StringComparison.Ordinal);

        var (_, unchanged, _) = await Grid.SubmitAsync(yaml + "\nanalysis: [curves, masks]\n");
        Assert.Null(unchanged.PreviousAnalysis);
    }

    [Fact]
    public async Task By_default_the_costly_analyses_run_only_on_the_iterations_the_report_shows()
    {
        // Simulated runs get better every iteration: the last is also the best, so the report shows iteration 2 only.
        string yaml = TestSweeps.Simulated("default-analyses", iterations: 3, seeds: "[0]", fractions: "[1]");
        var (coordinator, submitted, _) = await Grid.SubmitAsync(yaml);
        await GridCluster.WaitForAsync(coordinator, s => s.State == SweepState.Finished && s.Runs.All(r => r.AnalysesPending == 0), "the sweep and its analyses to finish");

        var analysed = Analysed(submitted.Sweep!.Directory);
        string[] costly = ["locality", "node-removal", "activations"];
        foreach (string name in costly)
        {
            Assert.Equal([2], analysed.Where(a => a.Analysis == name).Select(a => a.Iteration));
        }

        foreach (string name in new[] { "connectivity", "masks", "curves" })
        {
            Assert.Equal([0, 1, 2], analysed.Where(a => a.Analysis == name).Select(a => a.Iteration));
        }
    }

    private static IReadOnlyList<(int Iteration, string Analysis)> Analysed(string directory) =>
        [.. RecordingAnalyzer.For(directory).Select(c => (c.Iteration, c.Analysis)).Distinct().Order()];
}
