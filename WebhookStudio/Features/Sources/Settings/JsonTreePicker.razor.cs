using Microsoft.AspNetCore.Components;
using Newtonsoft.Json.Linq;
using WebhookStudio.Features.Sources.Inbound;

namespace WebhookStudio.Features.Sources.Settings;

/// <summary>
/// A payload as a tree. Clicking a node offers it as the entity (absolute path), the unique id or the title
/// (paths relative to the entity); a node that cannot play a role says why instead.
/// </summary>
public partial class JsonTreePicker
{
    private const int ExpandedDepth = 2;
    private const int ChildrenShown = 100;
    private const int MatchLimit = 500;

    private readonly HashSet<JToken> expanded = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<JToken> fullyShown = new(ReferenceEqualityComparer.Instance);
    private HashSet<JToken> entities = new(ReferenceEqualityComparer.Instance);
    private HashSet<JToken> idNodes = new(ReferenceEqualityComparer.Instance);
    private HashSet<JToken> titleNodes = new(ReferenceEqualityComparer.Instance);
    private HashSet<JToken>? searchVisible;
    private int matchCount;
    private JToken? shownRoot;
    private string? shownEntityPath;
    private JToken? selected;
    private string search = "";

    /// <summary>The parsed payload.</summary>
    [Parameter, EditorRequired] public JToken Root { get; set; } = default!;

    /// <summary>The current entity path (absolute); id and title offers are relative to what it selects.</summary>
    [Parameter] public string? EntityPath { get; set; }
    [Parameter] public string? IdPath { get; set; }
    [Parameter] public string? TitlePath { get; set; }

    /// <summary>Hides the actions, for people who may look but not edit.</summary>
    [Parameter] public bool ReadOnly { get; set; }

    [Parameter] public EventCallback<string> OnUseAsEntity { get; set; }
    [Parameter] public EventCallback<string> OnUseAsId { get; set; }
    [Parameter] public EventCallback<string> OnUseAsTitle { get; set; }

    [Parameter] public string Height { get; set; } = "520px";

    protected override void OnParametersSet()
    {
        entities = new(SafeEntities(), ReferenceEqualityComparer.Instance);
        idNodes = MarkedNodes(IdPath);
        titleNodes = MarkedNodes(TitlePath);
        if (!ReferenceEquals(shownRoot, Root))
        {
            shownRoot = Root;
            selected = null;
            expanded.Clear();
            fullyShown.Clear();
            ExpandTo(Root, 0);
            shownEntityPath = null;
            ApplySearch();
        }
        if (shownEntityPath != EntityPath)
        {
            // A newly chosen entity is opened, so its id and title can be clicked at once.
            shownEntityPath = EntityPath;
            if (entities.FirstOrDefault() is { } first)
                for (var node = first; node is not null; node = Up(node))
                    expanded.Add(node);
        }
    }

    private IEnumerable<JToken> SafeEntities()
    {
        try { return EntityMapper.SelectEntities(EntityPath, Root); }
        catch (ArgumentException) { return []; }
    }

    private HashSet<JToken> MarkedNodes(string? path)
    {
        var marked = new HashSet<JToken>(ReferenceEqualityComparer.Instance);
        if (string.IsNullOrWhiteSpace(path)) return marked;
        try
        {
            foreach (var entity in entities.OfType<JObject>().Take(200))
                foreach (var token in EntityMapper.SelectRelative(entity, path).Take(5))
                    marked.Add(token);
        }
        catch (Exception e) when (e is Newtonsoft.Json.JsonException or ArgumentException or IndexOutOfRangeException)
        {
            // A path being typed is often incomplete; the field shows the error, the tree just marks nothing.
        }
        return marked;
    }

    private void ExpandTo(JToken token, int depth)
    {
        if (token is not JContainer || depth >= ExpandedDepth) return;
        expanded.Add(token);
        foreach (var child in Children(token))
            ExpandTo(child.Value, depth + 1);
    }

    private static IEnumerable<(string Name, JToken Value)> Children(JToken token) => token switch
    {
        JObject obj => obj.Properties().Select(p => (p.Name, p.Value)),
        JArray array => array.Select((item, i) => ($"[{i}]", item)),
        _ => [],
    };

    private static JToken? Up(JToken token) => token.Parent is JProperty property ? property.Parent : token.Parent;

    private bool IsExpanded(JToken token) => searchVisible is not null || expanded.Contains(token);

    private void Toggle(JToken token)
    {
        if (!expanded.Remove(token)) expanded.Add(token);
    }

    private void Select(JToken token) => selected = ReferenceEquals(selected, token) ? null : token;

    private void OnSearch(string? text)
    {
        search = text?.Trim() ?? "";
        ApplySearch();
    }

    private void ApplySearch()
    {
        if (search.Length == 0)
        {
            searchVisible = null;
            matchCount = 0;
            return;
        }
        var visible = new HashSet<JToken>(ReferenceEqualityComparer.Instance);
        matchCount = 0;
        foreach (var token in Root is JContainer container ? container.DescendantsAndSelf() : [Root])
        {
            if (token is JProperty || matchCount >= MatchLimit || !Matches(token)) continue;
            matchCount++;
            for (var node = token; node is not null && visible.Add(node); node = Up(node)) { }
        }
        searchVisible = visible;
    }

    private bool Matches(JToken token)
    {
        var name = token.Parent is JProperty property ? property.Name : null;
        return (name?.Contains(search, StringComparison.OrdinalIgnoreCase) ?? false)
            || (JsonTokens.ScalarText(token)?.Contains(search, StringComparison.OrdinalIgnoreCase) ?? false);
    }

    private IEnumerable<(string Name, JToken Value)> VisibleChildren(JToken token) =>
        Children(token).Where(c => searchVisible is null || searchVisible.Contains(c.Value));

    /// <summary>The entity a node belongs to: the nearest entity strictly above it.</summary>
    private JToken? EntityAbove(JToken node)
    {
        for (var current = Up(node); current is not null; current = Up(current))
            if (entities.Contains(current)) return current;
        return null;
    }

    private string EntityLabel => string.IsNullOrWhiteSpace(EntityPath) || EntityPath.Trim() == EntityMapping.WholePayload ? "the whole payload" : EntityPath.Trim();

    /// <summary>What choosing a node as the entity would set, or why it cannot be.</summary>
    internal (string? Path, string? Reason) EntityOffer(JToken node) => node switch
    {
        JArray array when ReferenceEquals(array, Root) => (EntityMapping.WholePayload, null),
        JArray array => (JsonPaths.EachElement(array), null),
        JObject => (JsonPaths.Absolute(node), null),
        _ => (null, $"An entity is an object or a list of objects; this is {JsonTokens.Describe(node)}."),
    };

    internal (string? Path, string? Reason) FieldOffer(JToken node, string role)
    {
        if (node is JContainer)
            return (null, $"The {role} must be text or a number; this is {JsonTokens.Describe(node)}.");
        if (EntityAbove(node) is not { } entity)
            return (null, $"This field is outside the entity ({EntityLabel}); the {role} must be a field inside it. Choose the entity first.");
        return (JsonPaths.Relative(entity, node), null);
    }

    private async Task UseAsEntityAsync(string path) { selected = null; await OnUseAsEntity.InvokeAsync(path); }
    private async Task UseAsIdAsync(string path) { selected = null; await OnUseAsId.InvokeAsync(path); }
    private async Task UseAsTitleAsync(string path) { selected = null; await OnUseAsTitle.InvokeAsync(path); }

    private static string TypeOf(JToken token) => token switch
    {
        JObject obj => obj.Count == 1 ? "object · 1 field" : $"object · {obj.Count} fields",
        JArray array => array.Count == 1 ? "list · 1 item" : $"list · {array.Count} items",
        _ => token.Type switch
        {
            JTokenType.String => "text",
            JTokenType.Integer or JTokenType.Float => "number",
            JTokenType.Boolean => "yes/no",
            JTokenType.Null => "null",
            var other => other.ToString().ToLowerInvariant(),
        },
    };

    private static string Preview(JToken token)
    {
        const int limit = 80;
        if (token is JContainer) return "";
        if (token.Type == JTokenType.Null) return "null";
        var text = JsonTokens.ScalarText(token) ?? "";
        if (text.Length > limit) text = text[..limit] + "…";
        return token.Type == JTokenType.String ? $"\"{text}\"" : text;
    }
}
