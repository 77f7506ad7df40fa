using System.Reflection;

namespace Grid.Engine.Specs;

/// <summary>
/// The values a string field of the spec accepts, read from a static member of the code that defines them (e.g.
/// <see cref="DatasetNames.All"/>), so that the JSON schema lists exactly what the rules accept.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class KnownNamesAttribute(Type owner, string member) : Attribute
{
    public IReadOnlyList<string> Names =>
        (owner.GetProperty(member, BindingFlags.Public | BindingFlags.Static)?.GetValue(null)
            ?? owner.GetField(member, BindingFlags.Public | BindingFlags.Static)?.GetValue(null)) is IEnumerable<string> names
            ? [.. names]
            : throw new InvalidOperationException($"{owner.Name}.{member} is not a public static list of names");
}
