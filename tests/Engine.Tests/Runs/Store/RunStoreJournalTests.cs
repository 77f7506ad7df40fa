using Grid.Engine.IO;
using Grid.Engine.Runs.Store;

namespace Grid.Engine.Tests.Runs.Store;

public sealed class RunStoreJournalTests
{
    /// <summary>
    /// Silos that finish iterations at the same moment append to one journal. .NET's append writes where the file ended
    /// when it was opened, so without the journal's claim about a quarter of these lines were lost (written over by
    /// another writer's). Each writer here is its own <see cref="RunStore"/>, as each silo is.
    /// </summary>
    [Fact]
    public void Writers_appending_at_the_same_moment_lose_no_line()
    {
        const int Writers = 4, Rounds = 100;
        string root = TinyRuns.TemporaryDirectory();
        using var together = new Barrier(Writers);
        Parallel.For(0, Writers, new ParallelOptions { MaxDegreeOfParallelism = Writers }, writer =>
        {
            var store = RunStore.Of(root);
            for (int round = 0; round < Rounds; round++)
            {
                together.SignalAndWait();
                store.Journal(new StoreEvent(DateTimeOffset.UtcNow, StoreEvent.Trained, "line", $"writer{writer}", round, FileClaim.ThisProcess, 0.5));
            }
        });

        var entries = RunStore.Of(root).ReadJournal();
        Assert.Equal(Writers * Rounds, File.ReadAllLines(Path.Combine(RunStore.Of(root).Root, RunStore.JournalFile)).Length);
        Assert.Equal(Writers * Rounds, entries.Count);
        Assert.All(Enumerable.Range(0, Writers), writer =>
            Assert.Equal(Enumerable.Range(0, Rounds), entries.Where(e => e.Id == $"writer{writer}").Select(e => e.Iteration)));
    }
}
