using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;

namespace Grid.Engine.Sweeps;

/// <summary>
/// The shape of a spec record as it appears in YAML/JSON (snake_case fields, lists, scalars), derived by reflection
/// from the records themselves so that it can never drift from them.
/// </summary>
public abstract record SpecShape(bool Nullable)
{
    private static readonly ConcurrentDictionary<Type, SpecShape> Cache = new();

    public abstract string Describe();

    // NullabilityInfoContext is not thread-safe (two sweeps compiled at once failed with "an item with the same key has
    // already been added"): one per shape built.
    public static SpecShape Of(Type type) => Cache.GetOrAdd(type, t => Build(t, nullable: false, new NullabilityInfoContext()));

    private static SpecShape Build(Type type, bool nullable, NullabilityInfoContext nullability)
    {
        if (System.Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Build(underlying, nullable: true, nullability);
        }

        if (type == typeof(string))
        {
            return new ScalarShape(ScalarKind.String, nullable);
        }

        if (type == typeof(bool))
        {
            return new ScalarShape(ScalarKind.Boolean, nullable);
        }

        if (type == typeof(int))
        {
            return new ScalarShape(ScalarKind.Integer, nullable);
        }

        if (type == typeof(long))
        {
            return new ScalarShape(ScalarKind.Long, nullable);
        }

        if (type == typeof(double) || type == typeof(float))
        {
            return new ScalarShape(ScalarKind.Number, nullable);
        }

        if (ListElement(type) is { } element)
        {
            return new ListShape(Build(element, nullable: false, nullability), nullable);
        }

        if (type.IsClass)
        {
            var fields = new List<KeyValuePair<string, SpecShape>>();
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.SetMethod is null || !property.SetMethod.IsPublic)
                {
                    continue;
                }

                bool propertyNullable = !property.PropertyType.IsValueType
                    && nullability.Create(property).WriteState == NullabilityState.Nullable;
                string name = JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name);
                fields.Add(new(name, property.GetCustomAttribute<System.Text.Json.Serialization.JsonConverterAttribute>()?.ConverterType == typeof(Specs.AutoOrIntegerConverter)
                    ? new ScalarShape(ScalarKind.AutoOrInteger, Nullable: true)
                    : Build(property.PropertyType, propertyNullable, nullability)));
            }

            return new ObjectShape(type, fields, nullable);
        }

        throw new NotSupportedException($"spec field type {type} has no shape");
    }

    private static Type? ListElement(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        if (type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition();
            if (definition == typeof(IReadOnlyList<>) || definition == typeof(List<>) || definition == typeof(IList<>)
                || definition == typeof(IReadOnlyCollection<>) || definition == typeof(IEnumerable<>))
            {
                return type.GetGenericArguments()[0];
            }
        }

        return null;
    }
}

public enum ScalarKind
{
    String,
    Boolean,
    Integer,
    Long,
    Number,

    /// <summary><c>auto</c> or an integer (<see cref="Specs.AutoOrIntegerConverter"/>).</summary>
    AutoOrInteger,
}

public sealed record ScalarShape(ScalarKind Kind, bool Nullable) : SpecShape(Nullable)
{
    public override string Describe() => Kind switch
    {
        ScalarKind.String => "a string",
        ScalarKind.Boolean => "true or false",
        ScalarKind.Integer or ScalarKind.Long => "an integer",
        ScalarKind.AutoOrInteger => "auto or an integer",
        _ => "a number",
    };

    public string Plural => Kind switch
    {
        ScalarKind.String => "strings",
        ScalarKind.Boolean => "booleans",
        ScalarKind.Integer or ScalarKind.Long => "integers",
        ScalarKind.AutoOrInteger => "auto or integers",
        _ => "numbers",
    };
}

public sealed record ListShape(SpecShape Element, bool Nullable) : SpecShape(Nullable)
{
    public override string Describe() => Element is ScalarShape scalar ? $"a list of {scalar.Plural}" : "a list";
}

public sealed record ObjectShape(Type ClrType, IReadOnlyList<KeyValuePair<string, SpecShape>> Fields, bool Nullable) : SpecShape(Nullable)
{
    public override string Describe() => "a mapping";

    public SpecShape? Field(string name) =>
        Fields.FirstOrDefault(f => f.Key == name).Value;

    public IEnumerable<string> FieldNames => Fields.Select(f => f.Key);

    /// <summary>Resolves a dotted snake_case path (e.g. <c>training.learning_rate</c>); null when a segment is unknown.</summary>
    public SpecShape? Resolve(string dottedPath)
    {
        SpecShape current = this;
        foreach (string segment in dottedPath.Split('.'))
        {
            if (current is not ObjectShape obj || obj.Field(segment) is not { } next)
            {
                return null;
            }

            current = next;
        }

        return current;
    }

    /// <summary>Every path below this object, dotted, groups and leaves (e.g. training, training.steps): what a
    /// matrix axis or a command-line override may name.</summary>
    public IEnumerable<string> FieldPaths(string prefix = "")
    {
        foreach (var (name, shape) in Fields)
        {
            string path = prefix.Length == 0 ? name : $"{prefix}.{name}";
            yield return path;
            if (shape is ObjectShape nested)
            {
                foreach (string inner in nested.FieldPaths(path))
                {
                    yield return inner;
                }
            }
        }
    }

    /// <summary>Every leaf path below this object, dotted (lists and scalars are leaves).</summary>
    public IEnumerable<string> LeafPaths(string prefix = "")
    {
        foreach (var (name, shape) in Fields)
        {
            string path = prefix.Length == 0 ? name : $"{prefix}.{name}";
            if (shape is ObjectShape nested)
            {
                foreach (string leaf in nested.LeafPaths(path))
                {
                    yield return leaf;
                }
            }
            else
            {
                yield return path;
            }
        }
    }
}
