using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WebhookStudio.Data;
using WebhookStudio.Features.Items;
using WebhookStudio.Features.Sources;

namespace WebhookStudio.Features.Outbound.Templates;

/// <summary>One variable a template can use: its path, JSON kind and an example value from a real item.</summary>
public sealed record TemplateVariable(string Path, string Kind, string? Example);

/// <summary>The variables of a scope; <see cref="FromSample"/> when the scope has no item yet and a sample stood in.</summary>
public sealed record VariableList(IReadOnlyList<TemplateVariable> Variables, bool FromSample)
{
    private HashSet<string>? known;

    public bool Contains(string path) => (known ??= Variables.Select(v => v.Path).ToHashSet(StringComparer.Ordinal)).Contains(path);

    public string? KindOf(string path) => Variables.FirstOrDefault(v => v.Path == path)?.Kind;
}

/// <summary>
/// What the template editor offers for a scope (one source or all): the paths of the latest items' data plus
/// the fixed parts of the model; and the item a preview uses when the user picks none.
/// </summary>
public sealed class TemplateVariables(IDbContextFactory<StudioDbContext> contexts, TimeProvider clock)
{
    /// <summary>How many of the latest items are read to learn the fields of a scope.</summary>
    public const int SampleSize = 50;

    public const string SampleData = """{"id":"sample-1","email":"jane.doe@example.com","name":"Jane Doe","status":"paid","amount":42.5,"tags":["vip"],"address":{"city":"Berlin","zip":"10115"}}""";

    public async Task<VariableList> ForScopeAsync(int? sourceId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var items = await db.Items.AsNoTracking()
            .Where(i => sourceId == null || i.SourceId == sourceId)
            .OrderByDescending(i => i.UpdatedAt).Take(SampleSize).ToListAsync(cancellationToken);
        var source = sourceId is null ? null : await db.Sources.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sourceId, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var models = items.Count == 0
            ? [Sample(source, ActivityNames.ItemUpdated, now)]
            : items.Select(i => TemplateModel.ForItem(ActivityNames.ItemUpdated, now, i, source ?? new Source { Id = i.SourceId, Name = "", Token = "" }, null)).ToList();

        var found = new Dictionary<string, TemplateVariable>(StringComparer.Ordinal);
        foreach (var model in models)
            Flatten(TemplateRenderer.AsJson(model), "", found);
        foreach (var fixedPath in new[] { "changes[].path", "changes[].old", "changes[].new", "payload.id", "payload.receivedAt", "payload.contentType", "payload.data" })
            found.TryAdd(fixedPath, new TemplateVariable(fixedPath, fixedPath == "payload.data" ? "object" : "string", null));
        return new VariableList(found.Values.OrderBy(v => v.Path, StringComparer.Ordinal).ToList(), items.Count == 0);
    }

    /// <summary>A made-up item for previews of a scope that has none yet (the answer says it is a sample).</summary>
    public static TemplateModel Sample(Source? source, string activity, DateTime now)
    {
        var item = new Item { Id = 0, SourceId = source?.Id ?? 0, ExternalId = "sample-1", Title = "Jane Doe", Data = SampleData, CreatedAt = now, UpdatedAt = now };
        var changes = activity == ActivityNames.ItemUpdated ? """[{"path":"status","old":"open","new":"paid"}]""" : "[]";
        var model = TemplateModel.ForItem(activity, now, item, source ?? new Source { Id = 0, Name = "Sample source", App = "custom", Token = "" }, changes);
        return new TemplateModel
        {
            Event = model.Event, OccurredAt = now, Item = model.Item, Source = model.Source, Changes = model.Changes, IsSample = true,
        };
    }

    private static void Flatten(JsonNode? node, string path, Dictionary<string, TemplateVariable> found)
    {
        switch (node)
        {
            case JsonObject obj:
                if (path.Length > 0) found.TryAdd(path, new TemplateVariable(path, "object", null));
                foreach (var (name, child) in obj)
                    Flatten(child, path.Length == 0 ? name : $"{path}.{name}", found);
                break;
            case JsonArray array:
                found.TryAdd(path, new TemplateVariable(path, "array", Shorten(array.ToJsonString())));
                foreach (var element in array.Take(5))
                    if (element is JsonObject or JsonArray)
                        Flatten(element, path + "[]", found);
                break;
            case JsonValue value:
                var kind = value.GetValueKind();
                found.TryAdd(path, new TemplateVariable(path, kind switch
                {
                    JsonValueKind.String => "string",
                    JsonValueKind.Number => "number",
                    JsonValueKind.True or JsonValueKind.False => "boolean",
                    _ => "null",
                }, Shorten(kind == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString())));
                break;
            default:
                if (path.Length > 0) found.TryAdd(path, new TemplateVariable(path, "null", null));
                break;
        }
    }

    private static string Shorten(string text) => text.Length > 80 ? text[..80] + "…" : text;

    /// <summary>
    /// Placeholders of <paramref name="template"/> that cannot resolve: unknown top-level names always; item
    /// data fields only when real items are known (a sample says nothing about the scope's real fields).
    /// </summary>
    public static IReadOnlyList<string> Unresolved(string template, VariableList variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var problems = new List<string>();
        foreach (var path in PlaceholderScanner.Paths(template) ?? [])
        {
            var root = path.Split('.', '[')[0];
            if (!TemplateRenderer.Roots.Contains(root))
            {
                problems.Add($"'{path}' is unknown: templates can use item, source, event, activity, changes and payload.");
                continue;
            }
            if (path.StartsWith("payload.data", StringComparison.Ordinal) || (variables.FromSample && path.StartsWith("item.data.", StringComparison.Ordinal)))
                continue;
            if (!Resolves(path, variables))
                problems.Add(path.StartsWith("item.data.", StringComparison.Ordinal)
                    ? $"'{path}' is in none of the latest {SampleSize} items of this scope."
                    : $"'{path}' does not exist.");
        }
        return problems;
    }

    private static bool Resolves(string path, VariableList variables)
    {
        if (!path.Contains('.', StringComparison.Ordinal) && !path.Contains('[', StringComparison.Ordinal))
            return true;
        if (variables.Contains(path))
            return true;
        if (path.EndsWith("[]", StringComparison.Ordinal))
            return Resolves(path[..^2], variables);
        var dot = path.LastIndexOf('.');
        if (dot < 0)
            return false;
        var parent = path[..dot];
        var member = path[(dot + 1)..];
        // Liquid's own members of lists and text.
        if (member is "size" or "first" or "last" && (parent.Split('.').Length == 1 || variables.KindOf(parent) is "array" or "string" or "object"))
            return true;
        return parent is "changes" or "changes[]" && member is "path" or "old" or "new";
    }
}
