using Microsoft.AspNetCore.Components;
using WebhookStudio.Features.Sources.Filtering;

namespace WebhookStudio.Components.Conditions;

/// <summary>
/// A visual editor of a <see cref="ConditionGroup"/>: AND/OR groups of conditions, nested up to
/// <see cref="MaxDepth"/> levels, each condition a field (picked from <see cref="Fields"/> or typed), an
/// operator and a value that fits the operator. Every edit emits a new group through <see cref="ValueChanged"/>;
/// a builder without conditions emits null ("no filter"). Problems found by <see cref="FilterValidator"/>
/// show next to the field they concern.
/// </summary>
public partial class ConditionGroupBuilder
{
    private ConditionGroup current = ConditionGroup.All();
    private ConditionGroup? lastSeen;
    private bool initialized;
    private BuilderContext context = default!;

    /// <summary>The group being edited; null for none yet.</summary>
    [Parameter] public ConditionGroup? Value { get; set; }

    /// <summary>Receives the edited group (null when the last condition was removed).</summary>
    [Parameter] public EventCallback<ConditionGroup?> ValueChanged { get; set; }

    /// <summary>Paths offered for the field of a condition, e.g. every path of a received payload; any path can also be typed.</summary>
    [Parameter] public IReadOnlyList<string> Fields { get; set; } = [];

    /// <summary>The label of the field input, e.g. "Payload field" or "Item field".</summary>
    [Parameter] public string FieldsLabel { get; set; } = "Field";

    /// <summary>Read-only display, e.g. for a user who may view but not edit.</summary>
    [Parameter] public bool Disabled { get; set; }

    /// <summary>
    /// Also show what is missing (a field or value not filled in, an empty group). Off while the user
    /// builds the filter, so a row just added does not greet them in red; turn it on after a failed save.
    /// Wrong input (an invalid regex or path, a number that is none) shows at once either way.
    /// </summary>
    [Parameter] public bool ShowMissing { get; set; }

    /// <summary>How deep groups may nest, the root being level 1.</summary>
    [Parameter] public int MaxDepth { get; set; } = 3;

    /// <summary>What the empty builder says; e.g. "Every payload is processed." for a source filter.</summary>
    [Parameter] public string EmptyText { get; set; } = "With no conditions, everything passes.";

    private string RootLocation => FilterNodeJsonConverter.Key(current.Mode);

    protected override void OnParametersSet()
    {
        // The builder keeps its own copy so it also works one-way (Value without binding ValueChanged back).
        if (!initialized || !Equals(Value, lastSeen))
        {
            current = Value ?? new ConditionGroup(current.Mode, []);
            lastSeen = Value;
            initialized = true;
        }
        context = new BuilderContext(Fields, FieldsLabel, Disabled, MaxDepth, EmptyText, VisibleErrors(current, ShowMissing));
    }

    private async Task EmitAsync(ConditionGroup group)
    {
        current = group;
        var value = group.Children.Count == 0 ? null : group;
        lastSeen = value;
        context = context with { Errors = VisibleErrors(current, ShowMissing) };
        await ValueChanged.InvokeAsync(value);
    }

    /// <summary>The validator's messages by location (<c>all[1].any[0].value</c>), less the "missing" ones unless asked.</summary>
    internal static IReadOnlyDictionary<string, string> VisibleErrors(ConditionGroup group, bool showMissing)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (group.Children.Count == 0)
            return errors;
        var missing = showMissing ? [] : MissingLocations(group);
        foreach (var error in FilterValidator.Validate(group))
        {
            if (!missing.Contains(error.Location))
                errors.TryAdd(error.Location, error.Message);
        }
        return errors;
    }

    private static HashSet<string> MissingLocations(ConditionGroup root)
    {
        var locations = new HashSet<string>(StringComparer.Ordinal);
        void Walk(ConditionGroup group, string location)
        {
            if (group.Children.Count == 0)
                locations.Add(location);
            for (var i = 0; i < group.Children.Count; i++)
            {
                var child = $"{location}[{i}]";
                switch (group.Children[i])
                {
                    case ConditionGroup nested:
                        Walk(nested, ConditionLocations.Group(child, nested));
                        break;
                    case Condition condition:
                        if (condition.NormalizedPath.Length == 0)
                            locations.Add(child + ".path");
                        if (IsValueMissing(condition))
                            locations.Add(child + ".value");
                        break;
                }
            }
        }
        Walk(root, FilterNodeJsonConverter.Key(root.Mode));
        return locations;
    }

    private static bool IsValueMissing(Condition condition) =>
        condition.Op == FilterOperator.In ? condition.Values is not { Count: > 0 } : condition.Op.TakesSingleValue() && condition.Value is null;
}

/// <summary>What every card and row of one builder shares.</summary>
public sealed record BuilderContext(
    IReadOnlyList<string> Fields, string FieldsLabel, bool Disabled, int MaxDepth, string EmptyText,
    IReadOnlyDictionary<string, string> Errors)
{
    public string? ErrorAt(string location) => Errors.GetValueOrDefault(location);
}

/// <summary>Locations in the validator's terms: a group child at <c>all[1]</c> that is a group lives at <c>all[1].any</c>.</summary>
internal static class ConditionLocations
{
    public static string Group(string childLocation, ConditionGroup group) =>
        FilterNodeJsonConverter.Join(childLocation, FilterNodeJsonConverter.Key(group.Mode));
}
