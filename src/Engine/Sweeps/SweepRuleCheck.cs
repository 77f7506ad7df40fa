namespace Grid.Engine.Sweeps;

/// <summary>
/// Applies <see cref="ExperimentRules"/> and <see cref="DatasetFiles"/> to every run of a sweep and reports each
/// violation where the user can fix it: at the matrix value that set the field, or else at <c>base.…</c>.
/// </summary>
public static class SweepRuleCheck
{
    /// <returns>The errors, and the warnings (<see cref="RuleViolation.IsWarning"/>), each once.</returns>
    public static (IReadOnlyList<SpecError> Errors, IReadOnlyList<SpecError> Warnings) Check(SweepDefinition sweep, IReadOnlyList<RunPlan> runs, SweepCheckOptions options)
    {
        var errors = new List<SpecError>();
        var warnings = new List<SpecError>();
        var rendered = new HashSet<string>();
        var files = new DatasetFiles(options.AbsentDatasetIsWarning);
        foreach (var run in runs)
        {
            var violations = ExperimentRules.Check(run.Spec).ToList();
            if (options.CheckDatasetFiles)
            {
                violations.AddRange(files.Check(run.Spec, [.. violations.Select(v => v.Field.Split('[')[0])]));
            }

            foreach (var violation in violations)
            {
                var error = Locate(sweep, run, violation);
                if (rendered.Add(error.ToString()))
                {
                    (violation.IsWarning ? warnings : errors).Add(error);
                }
            }
        }

        return (errors, warnings);
    }

    private static SpecError Locate(SweepDefinition sweep, RunPlan run, RuleViolation violation)
    {
        int axis = AxisOf(sweep, violation.Field);
        string context = string.Concat(violation.Related
            .Select(related => (Related: related, Axis: AxisOf(sweep, related)))
            .Where(r => r.Axis >= 0 && r.Axis != axis)
            .Select(r => $" (with {r.Related} = {run.Values[r.Axis].Display} from {sweep.Axes[r.Axis].ValuePath(r.Axis, run.Coordinates[r.Axis])})"));
        return axis >= 0
            ? new SpecError(sweep.Axes[axis].ValuePath(axis, run.Coordinates[axis]), violation.Message + context, violation.Field)
            : new SpecError($"base.{violation.Field}", violation.Message + context);
    }

    /// <summary>The axis that sets <paramref name="field"/> (itself, a parent mapping or a list element), or -1.</summary>
    private static int AxisOf(SweepDefinition sweep, string field)
    {
        string bare = field.Split('[')[0];
        for (int i = 0; i < sweep.Axes.Count; i++)
        {
            string axis = sweep.Axes[i].Field;
            if (bare == axis || bare.StartsWith(axis + ".", StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
