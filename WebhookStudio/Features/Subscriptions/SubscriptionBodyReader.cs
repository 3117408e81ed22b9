using System.Text.Json;
using System.Text.Json.Nodes;
using WebhookStudio.Api;
using WebhookStudio.Features.Outbound.Templates;
using WebhookStudio.Features.Sources;

namespace WebhookStudio.Features.Subscriptions;

/// <summary>
/// Reads a subscription from a JSON body by hand, so each wrong type becomes a message for its field. Only
/// <c>app</c>, <c>event</c> (or <c>events</c>) and <c>url</c> are required; everything else has a default.
/// </summary>
internal static class SubscriptionBodyReader
{
    /// <summary>Reads the body; when it has errors, the service's own checks of what was readable are added, so one answer names every problem.</summary>
    public static async Task<SubscriptionInput> ReadAsync(JsonElement body, SubscriptionService subscriptions, CancellationToken cancellationToken)
    {
        var (input, errors) = Read(body);
        if (errors.Count == 0)
            return input;
        foreach (var (field, messages) in await subscriptions.ValidateAsync(input, cancellationToken))
            if (field != "events" || !(errors.ContainsKey("event") || errors.ContainsKey("events")))
                errors.TryAdd(field, messages);
        throw new ValidationException(errors);
    }

    /// <summary>The fields a body may hold; a patch naming anything else is refused rather than silently ignored.</summary>
    private static readonly HashSet<string> Fields =
    [
        "name", "app", "sourceId", "event", "events", "condition", "method", "url", "queryParameters", "headers", "parametersInHeaders",
        "connectorId", "bodyFormat", "bodyTemplate", "responseMapping", "maxAttempts", "preserveOrder", "active",
    ];

    /// <summary>
    /// A JSON merge patch (RFC 7396) over the subscription as it is: the fields the patch names replace the stored ones,
    /// <c>null</c> resets a field to its default, and the result reads like a full body, with the same checks.
    /// </summary>
    public static JsonElement Merge(Subscription current, JsonElement patch)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (patch.ValueKind != JsonValueKind.Object)
            throw new ValidationException("body", "Send a JSON object with the fields to change, e.g. {\"url\": \"https://crm.example.com/hooks\"}.");
        var unknown = patch.EnumerateObject().Select(p => p.Name).Where(name => !Fields.Contains(name)).ToList();
        if (unknown.Count > 0)
            throw new ValidationException(unknown.ToDictionary(name => name, name => new[] { $"{name} is not a field of a subscription." }));

        var merged = BodyOf(current);
        if (patch.TryGetProperty("event", out _) || patch.TryGetProperty("events", out _))
        {
            merged.Remove("event");
            merged.Remove("events");
        }
        foreach (var field in patch.EnumerateObject())
        {
            if (field.Value.ValueKind == JsonValueKind.Null) merged.Remove(field.Name);
            else merged[field.Name] = JsonNode.Parse(field.Value.GetRawText());
        }
        return JsonSerializer.SerializeToElement(merged);
    }

    /// <summary>A stored subscription as the body that would create it.</summary>
    private static JsonObject BodyOf(Subscription s) => new()
    {
        ["name"] = s.Name,
        ["app"] = s.App,
        ["sourceId"] = s.SourceId,
        ["events"] = new JsonArray([.. ActivityNames.Names(s.Activities).Select(name => (JsonNode?)name)]),
        ["condition"] = s.Condition is null ? null : JsonNode.Parse(s.Condition),
        ["method"] = s.Method.ToString().ToUpperInvariant(),
        ["url"] = s.Url,
        ["queryParameters"] = Pairs(s.QueryParameters),
        ["headers"] = Pairs(s.Headers),
        ["parametersInHeaders"] = s.ParametersInHeaders,
        ["connectorId"] = s.ConnectorId,
        ["bodyFormat"] = ApiEnum.Name(s.BodyFormat),
        ["bodyTemplate"] = s.BodyTemplate,
        ["responseMapping"] = new JsonArray([.. s.ResponseMapping.Select(r => (JsonNode?)new JsonObject { ["path"] = r.Path, ["field"] = r.Field })]),
        ["maxAttempts"] = s.MaxAttempts,
        ["preserveOrder"] = s.PreserveOrder,
        ["active"] = s.Active,
    };

    private static JsonArray Pairs(IEnumerable<NameValue> pairs) =>
        new([.. pairs.Select(p => (JsonNode?)new JsonObject { ["name"] = p.Name, ["value"] = p.Value })]);

    private static (SubscriptionInput Input, Dictionary<string, string[]> Errors) Read(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
            throw new ValidationException("body", "Send a JSON object with at least app, event and url.");
        var errors = new Dictionary<string, string[]>();
        var input = new SubscriptionInput
        {
            Name = String(body, "name", errors),
            App = String(body, "app", errors),
            Url = String(body, "url", errors),
            BodyTemplate = String(body, "bodyTemplate", errors),
            ParametersInHeaders = Bool(body, "parametersInHeaders", errors) ?? false,
            PreserveOrder = Bool(body, "preserveOrder", errors) ?? false,
            Active = Bool(body, "active", errors) ?? true,
            SourceId = Int(body, "sourceId", errors),
            ConnectorId = Int(body, "connectorId", errors),
            MaxAttempts = Int(body, "maxAttempts", errors) ?? 8,
            QueryParameters = Pairs(body, "queryParameters", errors),
            Headers = Pairs(body, "headers", errors),
            ResponseMapping = Mapping(body, errors),
            Activities = Events(body, errors),
        };
        if (body.TryGetProperty("method", out var method) && method.ValueKind != JsonValueKind.Null)
        {
            if (method.ValueKind == JsonValueKind.String && ApiEnum.TryParse<SubscriptionMethod>(method.GetString(), out var m)) input = input with { Method = m };
            else errors["method"] = ["method is POST, PUT, PATCH or GET."];
        }
        if (body.TryGetProperty("bodyFormat", out var format) && format.ValueKind != JsonValueKind.Null)
        {
            if (format.ValueKind == JsonValueKind.String && ApiEnum.TryParse<BodyFormat>(format.GetString(), out var f)) input = input with { BodyFormat = f };
            else errors["bodyFormat"] = ["bodyFormat is default, json, xml, text or form."];
        }
        if (body.TryGetProperty("condition", out var condition))
        {
            try { input = input with { Condition = SourcePatchReader.ReadFilter(condition, "condition") }; }
            catch (ValidationException invalid) { foreach (var e in invalid.Errors) errors[e.Key] = e.Value; }
        }
        return (input, errors);
    }

    private static Activities Events(JsonElement body, Dictionary<string, string[]> errors)
    {
        var names = new List<string>();
        if (body.TryGetProperty("event", out var single) && single.ValueKind != JsonValueKind.Null)
        {
            if (single.ValueKind == JsonValueKind.String) names.Add(single.GetString()!);
            else errors["event"] = ["event is a string such as \"item.created\"."];
        }
        if (body.TryGetProperty("events", out var many) && many.ValueKind != JsonValueKind.Null)
        {
            if (many.ValueKind == JsonValueKind.Array && many.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String))
                names.AddRange(many.EnumerateArray().Select(e => e.GetString()!));
            else errors["events"] = ["events is a list of activity names."];
        }
        var set = Activities.None;
        foreach (var name in names)
        {
            if (ActivityNames.TryParse(name, out var activity)) set |= activity;
            else errors[body.TryGetProperty("events", out _) ? "events" : "event"] =
                [$"'{name}' is not an activity: use item.created, item.updated, item.deleted or payload.received."];
        }
        if (set == Activities.None && !errors.ContainsKey("event") && !errors.ContainsKey("events"))
            errors["event"] = ["Give the activity to send: event (e.g. \"item.created\") or events (a list)."];
        return set;
    }

    /// <summary>A list of <c>{"name","value"}</c>, or an object <c>{"X-Source": "studio"}</c>.</summary>
    private static List<NameValue> Pairs(JsonElement body, string name, Dictionary<string, string[]> errors)
    {
        var list = new List<NameValue>();
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return list;
        if (value.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in value.EnumerateObject())
            {
                if (p.Value.ValueKind == JsonValueKind.String) list.Add(new(p.Name, p.Value.GetString()!));
                else errors[$"{name}.{p.Name}"] = ["The value is a string (it may hold placeholders)."];
            }
            return list;
        }
        if (value.ValueKind != JsonValueKind.Array)
        {
            errors[name] = [$"{name} is a list of {{\"name\", \"value\"}} or an object of names and values."];
            return list;
        }
        var i = 0;
        foreach (var e in value.EnumerateArray())
        {
            if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String)
                list.Add(new(n.GetString()!, e.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : ""));
            else errors[$"{name}[{i}]"] = ["Each entry is {\"name\", \"value\"}."];
            i++;
        }
        return list;
    }

    private static List<ResponseMappingRule> Mapping(JsonElement body, Dictionary<string, string[]> errors)
    {
        var list = new List<ResponseMappingRule>();
        if (!body.TryGetProperty("responseMapping", out var value) || value.ValueKind == JsonValueKind.Null)
            return list;
        if (value.ValueKind != JsonValueKind.Array)
        {
            errors["responseMapping"] = ["responseMapping is a list of {\"path\", \"field\"}."];
            return list;
        }
        var i = 0;
        foreach (var e in value.EnumerateArray())
        {
            if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty("path", out var p) && p.ValueKind == JsonValueKind.String
                && e.TryGetProperty("field", out var f) && f.ValueKind == JsonValueKind.String)
                list.Add(new(p.GetString()!, f.GetString()!));
            else errors[$"responseMapping[{i}]"] = ["Each entry is {\"path\": \"$.promocode\", \"field\": \"promo_code\"}."];
            i++;
        }
        return list;
    }

    private static string? String(JsonElement body, string name, Dictionary<string, string[]> errors)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == JsonValueKind.String) return value.GetString();
        errors[name] = [$"{name} must be a string."];
        return null;
    }

    private static bool? Bool(JsonElement body, string name, Dictionary<string, string[]> errors)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) return value.GetBoolean();
        errors[name] = [$"{name} must be true or false."];
        return null;
    }

    private static int? Int(JsonElement body, string name, Dictionary<string, string[]> errors)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)) return number;
        errors[name] = [$"{name} must be a whole number."];
        return null;
    }
}
