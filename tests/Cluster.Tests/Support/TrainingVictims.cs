namespace Grid.Cluster.Tests.Support;

/// <summary>A silo to kill in the middle of an iteration, and what it was training when the grid's status said so.</summary>
/// <param name="RunDirectory">The run directory (in a sweep) of the iteration it trains; null when found by /healthz alone.</param>
public sealed record TrainingVictim(SiloProcess Silo, string Why, string? RunDirectory, int? Iteration);

/// <summary>Finds live silos in the middle of training an iteration of one of the watched sweeps.</summary>
public static class TrainingVictims
{
    /// <summary>
    /// A live silo in the middle of an iteration, while at least one other silo is active. Asked of the grid's status
    /// (a run training at a step between 0 and the last, on that silo, its iteration without summary.json, and
    /// <paramref name="accept"/> true of it, given every sweep's status); when no coordinator can answer (its silo just
    /// died and it is being reactivated) and <paramref name="healthFallback"/>, of the silos' /healthz: a silo that has
    /// been busy training for more than a second. Fails when neither the statuses nor the sweeps' directories have moved
    /// for <see cref="ProgressWait.Stall"/>.
    /// </summary>
    /// <param name="sweeps">Each sweep's coordinator and directory.</param>
    public static async Task<TrainingVictim> FindAsync(
        GridProcessCluster cluster, IReadOnlyList<(ISweepGrain Coordinator, string Directory)> sweeps,
        bool healthFallback = true, Func<TrainingVictim, IReadOnlyList<SweepStatus?>, bool>? accept = null)
    {
        var started = DateTime.UtcNow;
        var busySince = new Dictionary<SiloProcess, DateTime>();
        string last = "nothing yet";
        int rejected = 0;
        string moved = "";
        var movedAt = started;
        var lastReport = started;
        while (DateTime.UtcNow - movedAt < ProgressWait.Stall)
        {
            var lines = new List<string>();
            var statuses = new List<SweepStatus?>();
            foreach (var (coordinator, _) in sweeps)
            {
                SweepStatus status;
                try
                {
                    status = await coordinator.GetStatus().WaitAsync(TimeSpan.FromSeconds(3));
                }
                catch (Exception error)
                {
                    statuses.Add(null);
                    lines.Add($"status: {error.GetType().Name}: {error.Message.Split('\n')[0]}"); // the coordinator's silo may just have died
                    continue;
                }

                statuses.Add(status);
                lines.Add($"{status.State}: " + string.Join("; ", status.Runs.Select(r => $"#{r.Index} {r.State} it {r.Current?.Iteration} step {r.Current?.Step}/{r.Current?.TotalSteps} on {r.Silo}")));
                if (status.IsTerminal)
                {
                    throw new InvalidOperationException($"a sweep ended ({status.State}) before the test could kill a silo in the middle of an iteration: give it more work; "
                        + $"{rejected} candidates seen and not accepted; the status before: {last}");
                }
            }

            for (int sweep = 0; sweep < sweeps.Count; sweep++)
            {
                foreach (var run in statuses[sweep]?.Runs ?? [])
                {
                    if (run is not { State: RunState.Training, Current: { Step: > 0 } progress } || progress.Step >= progress.TotalSteps)
                    {
                        continue;
                    }

                    var silo = cluster.Live.FirstOrDefault(s => s.Owns(run.Silo));
                    string runDirectory = Path.Combine(sweeps[sweep].Directory, "runs", run.RunHash);
                    if (silo is null
                        || File.Exists(Path.Combine(runDirectory, $"iter-{progress.Iteration:D3}", "summary.json"))
                        || await silo.HealthAsync() is not { Busy: > 0 })
                    {
                        continue;
                    }

                    var victim = new TrainingVictim(silo,
                        $"training run #{run.Index} of {Path.GetFileName(sweeps[sweep].Directory)} iteration {progress.Iteration} at step {progress.Step}/{progress.TotalSteps} (grid status)",
                        runDirectory, progress.Iteration);
                    if ((accept?.Invoke(victim, statuses) ?? true) && await AnyOtherActiveAsync(cluster, silo))
                    {
                        return victim;
                    }

                    rejected++;
                }
            }

            last = string.Join(" | ", lines);
            if (statuses.All(st => st is null) && healthFallback)
            {
                foreach (var silo in cluster.Live.ToList())
                {
                    if (await silo.HealthAsync() is not { Busy: > 0 })
                    {
                        busySince.Remove(silo);
                        continue;
                    }

                    var since = busySince.TryAdd(silo, DateTime.UtcNow) ? DateTime.UtcNow : busySince[silo];
                    if (DateTime.UtcNow - since > TimeSpan.FromSeconds(1) && await AnyOtherActiveAsync(cluster, silo))
                    {
                        return new TrainingVictim(silo, $"busy training for {(DateTime.UtcNow - since).TotalSeconds:F1}s (/healthz; the grid status was unavailable: {last})", null, null);
                    }
                }
            }

            string now = $"{last}; " + string.Join("; ", sweeps.Select(s => ProgressWait.FilesUnder(s.Directory)));
            if (now != moved)
            {
                moved = now;
                movedAt = DateTime.UtcNow;
            }

            if (DateTime.UtcNow - lastReport > TimeSpan.FromSeconds(15))
            {
                lastReport = DateTime.UtcNow;
                cluster.Log($"still looking for a silo in the middle of an iteration; last status {last}");
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"no silo was seen in the middle of an iteration, and nothing moved for {ProgressWait.Stall.TotalSeconds} s "
            + $"(load average {ProgressWait.LoadAverage()}); last status {last}");
    }

    private static async Task<bool> AnyOtherActiveAsync(GridProcessCluster cluster, SiloProcess victim)
    {
        foreach (var silo in cluster.Live.Where(s => s != victim))
        {
            if (await silo.HealthAsync() is { Status: "ok" })
            {
                return true;
            }
        }

        return false;
    }
}
