using System.Text.Json;
using System.Text.Json.Serialization;

namespace Grid.Engine.Specs;

/// <summary>
/// A spec field that is <c>auto</c> or an integer (<c>training.bundle</c>): read as null for <c>auto</c> (so that
/// <c>auto</c> and an omitted field are the same spec, with the same hash) and as the number otherwise; written as the
/// number. The sweep compiler checks the field's shape the same way (<see cref="Sweeps.ScalarKind.AutoOrInteger"/>).
/// </summary>
public sealed class AutoOrIntegerConverter : JsonConverter<int?>
{
    public const string Auto = "auto";

    public override bool HandleNull => true;

    public override int? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.String when reader.GetString() == Auto => null,
        JsonTokenType.Number when reader.TryGetInt32(out int value) => value,
        _ => throw new JsonException($"expected {Auto} or an integer, got {Describe(ref reader)}"),
    };

    public override void Write(Utf8JsonWriter writer, int? value, JsonSerializerOptions options)
    {
        if (value is { } number)
        {
            writer.WriteNumberValue(number);
        }
        else
        {
            writer.WriteStringValue(Auto);
        }
    }

    private static string Describe(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => $"the string '{reader.GetString()}'",
        JsonTokenType.Number => $"the number {System.Text.Encoding.UTF8.GetString(reader.ValueSpan)}",
        JsonTokenType.True or JsonTokenType.False => $"the boolean {reader.GetBoolean().ToString().ToLowerInvariant()}",
        _ => reader.TokenType.ToString(),
    };
}
