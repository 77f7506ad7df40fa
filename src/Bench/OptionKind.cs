namespace Grid.Bench;

/// <summary>What an option of a benchmark command takes, and so how its value is checked before anything runs.</summary>
public enum OptionKind
{
    /// <summary>No value: present or not.</summary>
    Flag,

    /// <summary>Any text (checked by the benchmark itself, e.g. a device name).</summary>
    Text,

    /// <summary>A whole number at least the option's minimum.</summary>
    Integer,

    /// <summary>A comma-separated list of whole numbers, each at least the option's minimum.</summary>
    Integers,

    /// <summary>A share of weights kept, in (0, 1].</summary>
    Density,

    /// <summary>A comma-separated list of densities.</summary>
    Densities,

    /// <summary>One of the option's choices.</summary>
    Choice,

    /// <summary>A comma-separated list of the option's choices.</summary>
    Choices,
}
