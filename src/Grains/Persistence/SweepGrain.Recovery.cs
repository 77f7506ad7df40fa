using Grid.Engine.Sweeps;
using Grid.Grains.Persistence;
using Grid.Grains.Sweeps;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.Timers;

namespace Grid.Grains;

/// <summary>
/// Recovery of a coordinator with no client attached. While its sweep is unfinished the coordinator holds an Orleans
/// reminder (<see cref="GridStorage.SweepReminder"/>, every Grid:ReminderSeconds) and a small record in grain storage
/// (<see cref="SweepDriverRecord"/>: "I am driving this sweep"). Reminders live in the cluster's reminder table
/// (Redis in cluster mode), so when the coordinator's silo dies, the next tick activates the coordinator on a
/// surviving silo; it rebuilds itself from the results store and, if the record says the sweep is still being driven,
/// starts driving its runs again. Finishing, failing or cancelling clears the record and drops the reminder.
/// Without a reminder service (a test cluster that configures none) the coordinator works as before: it resumes
/// when a run or a client calls it.
/// </summary>
public sealed partial class SweepGrain : IRemindable
{
    private Task _driverWork = Task.CompletedTask;
    private GrainState<SweepDriverRecord>? _driverState;
    private bool _resumingFromReminder;
    private bool _remindersUnavailable;

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != GridStorage.SweepReminder)
        {
            return;
        }

        try
        {
            await EnsureLoadedAsync();
        }
        catch (KeyNotFoundException)
        {
            DriverLogger.LogWarning("Sweep {Hash}: no manifest in the results store any more; dropping its reminder", this.GetPrimaryKeyString());
            await ForgetReminderAsync();
            return;
        }

        switch (_state)
        {
            case SweepState.Running:
                return; // alive and driving
            case SweepState.Finished or SweepState.Failed or SweepState.Cancelled:
                OnDrivingStopped();
                await _driverWork;
                return;
        }

        // Idle: a fresh activation whose predecessor is gone (its silo died, or it was collected).
        var record = await ReadDriverRecordAsync();
        if (record is { Driving: false } && record.State.Length > 0)
        {
            DriverLogger.LogInformation("Sweep {Hash} ended as {State}; dropping its reminder", this.GetPrimaryKeyString(), record.State);
            await ForgetReminderAsync();
            return;
        }

        DriverLogger.LogInformation("Sweep {Hash} resumed by its reminder on {Silo} (no coordinator was driving it)",
            this.GetPrimaryKeyString(), SiloName);
        _resumingFromReminder = true;
        Start(resubmitted: false);
        await _driverWork;
    }

    /// <summary>
    /// Called when an activation has just loaded its sweep from the results store. If the sweep is already settled
    /// (finished, failed or cancelled), summary.csv / aggregate.csv may be stale: the activation that saw the last iteration
    /// finish can have died, or been deactivated by a failover, before regenerating them. Rewrites them when their
    /// content differs from what the run directories say (so a mere look at a finished sweep writes nothing).
    /// </summary>
    private async Task OnLoadedFromStoreAsync()
    {
        var manifest = _manifest;
        if (manifest is null || _state is not (SweepState.Finished or SweepState.Cancelled or SweepState.Failed))
        {
            return;
        }

        var labels = manifest.Runs.Select(r => (Status: SweepRuns.PendingLabel(_statuses[r.Hash]), Reason: SweepRuns.Reason(_statuses[r.Hash]))).ToList();
        try
        {
            bool rewritten = await Task.Run(() =>
            {
                var inputs = manifest.Runs.Select((run, i) => new RunSummaryInput(run, _store.Outcomes(manifest, run), labels[i].Status, labels[i].Reason)).ToList();
                string summary = SummaryTable.Summary(manifest, inputs);
                string aggregate = SummaryTable.Aggregate(manifest, inputs);
                if (_store.ReadTable(manifest) == summary && _store.ReadTable(manifest, aggregate: true) == aggregate)
                {
                    return false;
                }

                _store.WriteSummary(manifest, summary, aggregate);
                return true;
            });
            if (rewritten)
            {
                DriverLogger.LogInformation("Sweep {Hash} is {State}: summary.csv was stale and has been regenerated", manifest.Hash, _state);
            }
        }
        catch (Exception error)
        {
            DriverLogger.LogWarning(error, "Could not check the summary of settled sweep {Hash}", manifest.Hash);
        }
    }

    private ILogger DriverLogger => ServiceProvider.GetRequiredService<ILogger<SweepGrain>>();

    private string SiloName => ServiceProvider.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToParsableString();

    /// <summary>Called when the coordinator starts (or resumes) driving: hold the reminder, record the intent.</summary>
    private void OnDrivingStarted()
    {
        bool resumed = _resumingFromReminder;
        _resumingFromReminder = false;
        Enqueue(async () =>
        {
            await RegisterReminderAsync();
            await WriteDriverRecordAsync(driving: true, SweepState.Running.ToString(), resumed);
        });
    }

    /// <summary>Called when the sweep finished, failed or was cancelled: record it, then drop the reminder.</summary>
    private void OnDrivingStopped()
    {
        string state = _state.ToString();
        Enqueue(async () =>
        {
            await WriteDriverRecordAsync(driving: false, state, resumed: false);
            await ForgetReminderAsync();
        });
    }

    /// <summary>Reminder and storage calls run one after the other, in the order the coordinator asked for them.</summary>
    private void Enqueue(Func<Task> work)
    {
        var previous = _driverWork;
        _driverWork = Next();

        async Task Next()
        {
            await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
            try
            {
                await work();
            }
            catch (Exception error)
            {
                DriverLogger.LogWarning(error, "Sweep {Hash}: could not update its reminder or driver record", this.GetPrimaryKeyString());
            }
        }
    }

    private async Task RegisterReminderAsync()
    {
        if (_remindersUnavailable)
        {
            return;
        }

        if (ServiceProvider.GetService<IReminderRegistry>() is null)
        {
            _remindersUnavailable = true;
            DriverLogger.LogWarning("Sweep {Hash}: no reminder service is configured; if its silo dies, the sweep resumes only when a run or a client calls it",
                this.GetPrimaryKeyString());
            return;
        }

        var period = GridStorage.ReminderPeriod(ServiceProvider.GetRequiredService<IOptions<Hosting.GridOptions>>().Value);
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await this.RegisterOrUpdateReminder(GridStorage.SweepReminder, period, period);
                return;
            }
            catch (Exception error) when (attempt < 3)
            {
                // The reminder table (Redis) is briefly unreachable, or the ring is being rebalanced after a death.
                DriverLogger.LogDebug(error, "Sweep {Hash}: registering its reminder failed (attempt {Attempt}); retrying", this.GetPrimaryKeyString(), attempt);
                await Task.Delay(TimeSpan.FromSeconds(2 * attempt));
            }
        }
    }

    private async Task ForgetReminderAsync()
    {
        if (_remindersUnavailable || ServiceProvider.GetService<IReminderRegistry>() is null)
        {
            return;
        }

        if (await this.GetReminder(GridStorage.SweepReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
            DriverLogger.LogInformation("Sweep {Hash}: reminder removed ({State})", this.GetPrimaryKeyString(), _state);
        }
    }

    private IGrainStorage? DriverStorage => ServiceProvider.GetKeyedService<IGrainStorage>(GridStorage.Name);

    private async Task<SweepDriverRecord?> ReadDriverRecordAsync()
    {
        if (DriverStorage is not { } storage)
        {
            return null;
        }

        try
        {
            _driverState ??= new GrainState<SweepDriverRecord>(new SweepDriverRecord());
            await storage.ReadStateAsync(GridStorage.SweepDriverState, this.GetGrainId(), _driverState);
            return _driverState.RecordExists ? _driverState.State : null;
        }
        catch (Exception error)
        {
            DriverLogger.LogWarning(error, "Sweep {Hash}: could not read its driver record", this.GetPrimaryKeyString());
            return null;
        }
    }

    private async Task WriteDriverRecordAsync(bool driving, string state, bool resumed)
    {
        if (DriverStorage is not { } storage)
        {
            return;
        }

        for (int attempt = 0; ; attempt++)
        {
            if (_driverState is null)
            {
                await ReadDriverRecordAsync();
                _driverState ??= new GrainState<SweepDriverRecord>(new SweepDriverRecord());
            }

            var record = _driverState.State ?? new SweepDriverRecord();
            record.Directory = _manifest?.Directory ?? record.Directory;
            record.Driving = driving;
            record.State = state;
            record.UpdatedAt = DateTimeOffset.UtcNow;
            record.Silo = SiloName;
            record.ResumedByReminder += resumed ? 1 : 0;
            _driverState.State = record;
            try
            {
                await storage.WriteStateAsync(GridStorage.SweepDriverState, this.GetGrainId(), _driverState);
                return;
            }
            catch (InconsistentStateException) when (attempt == 0)
            {
                // Another activation of this coordinator wrote meanwhile (a failover): read its version and write again.
                _driverState = null;
            }
        }
    }
}
