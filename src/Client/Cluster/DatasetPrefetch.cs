using Grid.Engine.Data;
using Grid.Engine.Specs;
using Grid.Engine.Sweeps;

namespace Grid.Client.Cluster;

/// <summary>
/// Reads the first run's dataset into the process-wide cache on a background thread while the embedded silo starts:
/// the silo's first iteration trains in this process and finds it there. Only datasets of CPU scale (tens to hundreds
/// of MB): an ImageNet split is left for the first iteration that needs it, since a sweep resumed when already
/// finished needs none. Errors are left for that iteration to report with its run (the cache forgets a failed load).
/// </summary>
public static class DatasetPrefetch
{
    public static void Start(IReadOnlyList<RunPlan> runs)
    {
        if (runs.Count == 0)
        {
            return;
        }

        var dataset = runs[0].Spec.Dataset;
        if (DatasetNames.IsImageNet(dataset.Name))
        {
            return;
        }

        _ = Task.Run(() =>
        {
            try
            {
                DatasetCatalog.Load(dataset);
            }
            catch (Exception)
            {
                // Reported by the iteration that needs the data.
            }
        });
    }
}
