using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fluid;
using Fluid.Values;
using WebhookStudio.Infrastructure;

namespace WebhookStudio.Features.Outbound.Templates;

/// <summary>
/// A JSON object or array of the template model as Liquid sees it: members by name (<c>item.data.email</c>),
/// elements by index, <c>size</c>/<c>first</c>/<c>last</c>, and loops. Written out directly it is its JSON
/// text, so <c>{{ item.data.address }}</c> or <c>{{ changes }}</c> embeds the JSON as it is.
/// </summary>
internal sealed class JsonFluidValue(JsonNode node) : FluidValue
{
    public JsonNode Node { get; } = node;

    public override FluidValues Type => Node is JsonArray ? FluidValues.Array : FluidValues.Dictionary;

    /// <summary>The Fluid value of any model node: objects and arrays wrapped, scalars as Liquid's own values.</summary>
    public static FluidValue From(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return NilValue.Instance;
            case JsonObject or JsonArray:
                return new JsonFluidValue(node);
        }
        var value = node.AsValue();
        return value.GetValueKind() switch
        {
            JsonValueKind.String => new StringValue(value.GetValue<string>()),
            JsonValueKind.Number => Number(value.ToJsonString()),
            JsonValueKind.True => BooleanValue.True,
            JsonValueKind.False => BooleanValue.False,
            _ => NilValue.Instance,
        };
    }

    // Digits beyond decimal's range stay text, exactly as the sender wrote them.
    private static FluidValue Number(string raw) =>
        decimal.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && raw.Length <= 28
            ? NumberValue.Create(number)
            : new StringValue(raw);

    public override bool Equals(FluidValue other) => other is JsonFluidValue json && JsonNode.DeepEquals(Node, json.Node);

    public override bool ToBooleanValue() => true;

    public override decimal ToNumberValue() => 0;

    public override string ToStringValue() => Node.ToJsonString(StudioJson.Options);

    public override object ToObjectValue() => Node;

    /// <summary>Raw JSON in a JSON body (it is JSON already); encoded for the target format everywhere else.</summary>
    public override ValueTask WriteToAsync(TextWriter writer, TextEncoder encoder, CultureInfo cultureInfo)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(encoder);
        var json = ToStringValue();
        writer.Write(encoder is JavaScriptEncoder ? json : encoder.Encode(json));
        return ValueTask.CompletedTask;
    }

    public override ValueTask<FluidValue> GetValueAsync(string name, TemplateContext context)
    {
        if (Node is JsonObject obj && obj.TryGetPropertyValue(name, out var member))
            return ValueTask.FromResult(From(member));
        return ValueTask.FromResult(name switch
        {
            "size" => NumberValue.Create(Node is JsonArray a ? a.Count : ((JsonObject)Node).Count),
            "first" when Node is JsonArray { Count: > 0 } a => From(a[0]),
            "last" when Node is JsonArray { Count: > 0 } a => From(a[^1]),
            _ => NilValue.Instance,
        });
    }

    public override ValueTask<FluidValue> GetIndexAsync(FluidValue index, TemplateContext context)
    {
        ArgumentNullException.ThrowIfNull(index);
        if (Node is JsonArray array)
        {
            var i = (int)index.ToNumberValue();
            if (i < 0) i += array.Count;
            return ValueTask.FromResult(i >= 0 && i < array.Count ? From(array[i]) : NilValue.Instance);
        }
        return GetValueAsync(index.ToStringValue(), context);
    }

    public override IEnumerable<FluidValue> Enumerate(TemplateContext context) => Node switch
    {
        JsonArray array => array.Select(From),
        JsonObject obj => obj.Select(p => (FluidValue)new ArrayValue([new StringValue(p.Key), From(p.Value)])),
        _ => [],
    };

    public override bool Contains(FluidValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Node switch
        {
            JsonArray array => array.Any(e => From(e).Equals(value)),
            JsonObject obj => obj.ContainsKey(value.ToStringValue()),
            _ => false,
        };
    }

    public override bool Equals(object? obj) => obj is FluidValue other && Equals(other);

    public override int GetHashCode() => Node.ToJsonString().GetHashCode(StringComparison.Ordinal);
}
