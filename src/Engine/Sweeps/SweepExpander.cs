using System.Text.Json;
using System.Text.Json.Nodes;
using Grid.Engine.Specs;

namespace Grid.Engine.Sweeps;

/// <summary>The cartesian product of a sweep's axes (first axis outermost), each point applied to the base spec.</summary>
public static class SweepExpander
{
    public static IReadOnlyList<RunPlan> Expand(SweepDefinition sweep)
    {
        var baseNode = (JsonObject)JsonSerializer.SerializeToNode(sweep.Base, SpecJson.Options)!;
        var runs = new List<RunPlan>();
        foreach (int[] point in Points(sweep.Axes.Select(a => a.Values.Count).ToArray()))
        {
            var node = (JsonObject)baseNode.DeepClone();
            var values = new List<AxisValue>();
            for (int axis = 0; axis < point.Length; axis++)
            {
                var field = sweep.Axes[axis].Field;
                var value = sweep.Axes[axis].Values[point[axis]];
                JsonPaths.Overlay(node, field, value?.DeepClone());
                values.Add(new AxisValue(field, value, sweep.Axes[axis].Labels[point[axis]]));
            }

            var spec = node.Deserialize<ExperimentSpec>(SpecJson.Options)!;
            runs.Add(new RunPlan(runs.Count + 1, values, spec) { Coordinates = point });
        }

        return runs;
    }

    private static IEnumerable<int[]> Points(int[] sizes)
    {
        var point = new int[sizes.Length];
        if (sizes.Any(s => s == 0))
        {
            yield break;
        }

        while (true)
        {
            yield return (int[])point.Clone();
            int axis = sizes.Length - 1;
            while (axis >= 0)
            {
                if (++point[axis] < sizes[axis])
                {
                    break;
                }

                point[axis] = 0;
                axis--;
            }

            if (axis < 0)
            {
                yield break;
            }
        }
    }
}
