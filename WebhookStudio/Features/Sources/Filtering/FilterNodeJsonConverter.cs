using System.Text.Json;
using System.Text.Json.Serialization;

namespace WebhookStudio.Features.Sources.Filtering;

/// <summary>
/// Reads and writes the JSON form of filters: <c>{"all":[…]}</c> / <c>{"any":[…]}</c> for groups and
/// <c>{"path":…,"op":…,"value":…}</c> for conditions. Reading is strict about structure (unknown
/// properties, unknown ops, a node that is neither kind) so that a typo in an API call is reported
/// instead of silently filtering nothing; what the values mean is <see cref="FilterValidator"/>'s job.
/// </summary>
/// <remarks>
/// A factory, because System.Text.Json picks a converter by the declared type, and filters are
/// (de)serialized as <see cref="FilterNode"/>, <see cref="ConditionGroup"/> and <see cref="Condition"/>.
/// </remarks>
public sealed class FilterNodeJsonConverter : JsonConverterFactory
{
    /// <inheritdoc/>
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert == typeof(FilterNode) || typeToConvert == typeof(ConditionGroup) || typeToConvert == typeof(Condition);

    /// <inheritdoc/>
    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        typeToConvert == typeof(ConditionGroup) ? new NodeConverter<ConditionGroup>()
        : typeToConvert == typeof(Condition) ? new NodeConverter<Condition>()
        : new NodeConverter<FilterNode>();

    private sealed class NodeConverter<T> : JsonConverter<T> where T : FilterNode
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            using var document = JsonDocument.ParseValue(ref reader);
            return ReadNode(document.RootElement, "") as T ?? throw new JsonException(
                typeof(T) == typeof(Condition)
                    ? "Expected a condition {\"path\":…,\"op\":…}, found a group."
                    : "A filter must be a group: {\"all\":[…]} or {\"any\":[…]}.");
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => WriteNode(writer, value);
    }

    private static FilterNode ReadNode(JsonElement element, string location)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw Error(location, $"expected a group {{\"all\":[…]}} / {{\"any\":[…]}} or a condition {{\"path\":…,\"op\":…}}, found {Describe(element.ValueKind)}.");

        GroupMode? mode = null;
        JsonElement children = default;
        string? path = null, opText = null, value = null;
        List<string>? values = null;
        var isCondition = false;

        foreach (var property in element.EnumerateObject())
        {
            switch (property.Name)
            {
                case "all" or "any":
                    if (mode is not null)
                        throw Error(location, "a group has either 'all' or 'any', not both.");
                    mode = property.Name == "all" ? GroupMode.All : GroupMode.Any;
                    children = property.Value;
                    break;
                case "path":
                    path = ReadString(property.Value, Join(location, "path"));
                    isCondition = true;
                    break;
                case "op":
                    opText = ReadString(property.Value, Join(location, "op"));
                    isCondition = true;
                    break;
                case "value":
                    if (property.Value.ValueKind == JsonValueKind.Array)
                        values = [.. property.Value.EnumerateArray().Select((item, i) => ReadScalar(item, $"{Join(location, "value")}[{i}]"))];
                    else if (property.Value.ValueKind != JsonValueKind.Null)
                        value = ReadScalar(property.Value, Join(location, "value"));
                    isCondition = true;
                    break;
                default:
                    throw Error(location, $"unknown property '{property.Name}'; a group has 'all' or 'any', a condition has 'path', 'op' and 'value'.");
            }
        }

        if (mode is { } groupMode)
        {
            if (isCondition)
                throw Error(location, "a node is either a group ('all'/'any') or a condition ('path'/'op'/'value'), not both.");
            if (children.ValueKind != JsonValueKind.Array)
                throw Error(location, $"'{Key(groupMode)}' must be an array of conditions and groups, found {Describe(children.ValueKind)}.");
            var prefix = Join(location, Key(groupMode));
            return new ConditionGroup(groupMode, [.. children.EnumerateArray().Select((child, i) => ReadNode(child, $"{prefix}[{i}]"))]);
        }

        if (!isCondition)
            throw Error(location, "an empty object is neither a group nor a condition.");
        if (path is null)
            throw Error(location, "a condition needs a 'path'.");
        if (opText is null)
            throw Error(location, "a condition needs an 'op'.");
        if (!FilterOperators.TryParse(opText, out var op))
            throw Error(Join(location, "op"), $"unknown op '{opText}'; expected one of: {string.Join(", ", FilterOperators.All)}.");
        return new Condition(path, op, value, values);
    }

    private static void WriteNode(Utf8JsonWriter writer, FilterNode node)
    {
        writer.WriteStartObject();
        switch (node)
        {
            case ConditionGroup group:
                writer.WriteStartArray(Key(group.Mode));
                foreach (var child in group.Children)
                    WriteNode(writer, child);
                writer.WriteEndArray();
                break;
            case Condition condition:
                writer.WriteString("path", condition.Path);
                writer.WriteString("op", condition.Op.ToOpString());
                if (condition.Values is not null)
                {
                    writer.WriteStartArray("value");
                    foreach (var item in condition.Values)
                        writer.WriteStringValue(item);
                    writer.WriteEndArray();
                }
                else if (condition.Value is not null)
                {
                    writer.WriteString("value", condition.Value);
                }
                break;
            default:
                throw new JsonException($"Unknown filter node type {node.GetType().Name}.");
        }
        writer.WriteEndObject();
    }

    internal static string Key(GroupMode mode) => mode switch
    {
        GroupMode.All => "all",
        GroupMode.Any => "any",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown group mode."),
    };

    internal static string Join(string location, string key) => location.Length == 0 ? key : $"{location}.{key}";

    private static string ReadString(JsonElement element, string location) =>
        element.ValueKind == JsonValueKind.String
            ? element.GetString()!
            : throw Error(location, $"expected a string, found {Describe(element.ValueKind)}.");

    // Values are text, but "value": 1000 or true is what people type in an API call; keep the literal as written.
    private static string ReadScalar(JsonElement element, string location) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString()!,
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => element.GetRawText(),
        _ => throw Error(location, $"expected a string, found {Describe(element.ValueKind)}."),
    };

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static JsonException Error(string location, string message) =>
        new($"Invalid filter at {(location.Length == 0 ? "the root" : location)}: {message}");
}
