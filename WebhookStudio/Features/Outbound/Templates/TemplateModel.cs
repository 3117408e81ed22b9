using System.Text.Json.Nodes;
using WebhookStudio.Features.Items;
using WebhookStudio.Features.Sources;
using WebhookStudio.Infrastructure;

namespace WebhookStudio.Features.Outbound.Templates;

/// <summary>The activities a subscription reacts to, with the names the API and templates use.</summary>
[Flags]
public enum Activities
{
    None = 0,
    ItemCreated = 1,
    ItemUpdated = 2,
    ItemDeleted = 4,
    PayloadReceived = 8,
}

public static class ActivityNames
{
    public const string ItemCreated = "item.created";
    public const string ItemUpdated = "item.updated";
    public const string ItemDeleted = "item.deleted";
    public const string PayloadReceived = "payload.received";

    public static readonly IReadOnlyList<(Activities Activity, string Name)> All =
    [
        (Activities.ItemCreated, ItemCreated), (Activities.ItemUpdated, ItemUpdated),
        (Activities.ItemDeleted, ItemDeleted), (Activities.PayloadReceived, PayloadReceived),
    ];

    public static string Name(Activities single) => All.First(a => a.Activity == single).Name;

    public static bool TryParse(string? name, out Activities activity)
    {
        var trimmed = name?.Trim();
        foreach (var (value, text) in All)
        {
            // "item_created" is how the rest of the API writes enums; accept it too.
            if (string.Equals(text, trimmed, StringComparison.OrdinalIgnoreCase)
                || string.Equals(text.Replace('.', '_'), trimmed, StringComparison.OrdinalIgnoreCase))
            {
                activity = value;
                return true;
            }
        }
        activity = Activities.None;
        return false;
    }

    public static IReadOnlyList<string> Names(Activities set) => All.Where(a => set.HasFlag(a.Activity)).Select(a => a.Name).ToList();

    public static Activities For(ChangeKind kind) => kind switch
    {
        ChangeKind.Created => Activities.ItemCreated,
        ChangeKind.Updated => Activities.ItemUpdated,
        _ => Activities.ItemDeleted,
    };
}

/// <summary>
/// What templates see, as JSON: <c>item</c> (id, externalId, title, data, createdAt, updatedAt, version),
/// <c>source</c> (id, name, app), <c>event</c> and its alias <c>activity</c> (name, occurredAt), <c>changes</c>
/// (<c>[{path, old, new}]</c>), and for <c>payload.received</c> the <c>payload</c> (id, receivedAt, contentType, data).
/// The default body is built from the same parts, so what a template can say and what the default sends agree.
/// </summary>
public sealed class TemplateModel
{
    public required string Event { get; init; }
    public required DateTime OccurredAt { get; init; }
    public JsonObject? Item { get; init; }
    public JsonObject? Source { get; init; }
    public JsonArray Changes { get; init; } = [];
    public JsonObject? Payload { get; init; }

    /// <summary>True when built from the sample item because the scope has no item yet.</summary>
    public bool IsSample { get; init; }

    public static TemplateModel ForItem(string activity, DateTime occurredAt, Item item, Source? source, string? changesJson) => new()
    {
        Event = activity,
        OccurredAt = occurredAt,
        Item = ItemNode(item),
        Source = source is null ? null : SourceNode(source),
        Changes = changesJson is null ? [] : JsonNode.Parse(changesJson) as JsonArray ?? [],
    };

    public static JsonObject ItemNode(Item item) => new()
    {
        ["id"] = item.Id,
        ["externalId"] = item.ExternalId,
        ["title"] = item.Title,
        ["data"] = JsonNode.Parse(item.Data),
        ["createdAt"] = Iso(item.CreatedAt),
        ["updatedAt"] = Iso(item.UpdatedAt),
        ["version"] = item.Version,
    };

    /// <summary>Times as ISO-8601 UTC text: templates see strings, exactly what the default body sends.</summary>
    public static string Iso(DateTime time) => DateTime.SpecifyKind(time, DateTimeKind.Utc).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);

    public static JsonObject SourceNode(Source source) => new() { ["id"] = source.Id, ["name"] = source.Name, ["app"] = source.App };

    /// <summary>The variables a template may use, by name.</summary>
    public IReadOnlyDictionary<string, JsonNode?> Variables()
    {
        var activity = new JsonObject { ["name"] = Event, ["occurredAt"] = Iso(OccurredAt) };
        return new Dictionary<string, JsonNode?>
        {
            ["item"] = Item?.DeepClone() ?? new JsonObject(),
            ["source"] = Source?.DeepClone() ?? new JsonObject(),
            ["event"] = activity,
            ["activity"] = activity.DeepClone(),
            ["changes"] = Changes.DeepClone(),
            ["payload"] = Payload?.DeepClone() ?? new JsonObject(),
        };
    }

    /// <summary><c>{"event", "occurredAt", "item", "changes", "source"}</c> (with <c>payload</c> instead of <c>item</c> for payload.received).</summary>
    public string DefaultBody()
    {
        var body = new JsonObject { ["event"] = Event, ["occurredAt"] = Iso(OccurredAt) };
        if (Payload is not null && Item is null)
            body["payload"] = Payload.DeepClone();
        else
        {
            body["item"] = Item?.DeepClone();
            body["changes"] = Changes.DeepClone();
        }
        body["source"] = Source?.DeepClone();
        return body.ToJsonString(StudioJson.Options);
    }
}
