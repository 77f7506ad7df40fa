namespace Grid.Engine.Sweeps;

/// <summary>
/// A value of an experiment that is out of range. <see cref="Field"/> is the dotted snake_case path of the offending
/// field (e.g. <c>network.hidden[1]</c>); <see cref="Related"/> are the fields the rule compared it with.
/// </summary>
public sealed record RuleViolation(string Field, string Message, IReadOnlyList<string> Related)
{
    public RuleViolation(string field, string message)
        : this(field, message, [])
    {
    }

    /// <summary>Not a violation but something left unchecked (reported, never blocking).</summary>
    public bool IsWarning { get; init; }
}
