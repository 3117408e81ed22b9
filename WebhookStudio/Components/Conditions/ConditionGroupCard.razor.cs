using Microsoft.AspNetCore.Components;
using WebhookStudio.Features.Sources.Filtering;

namespace WebhookStudio.Components.Conditions;

/// <summary>One group of the builder, with its conditions and nested groups; nested groups are cards too.</summary>
public partial class ConditionGroupCard
{
    [Parameter, EditorRequired] public ConditionGroup Group { get; set; } = ConditionGroup.All();

    [Parameter] public EventCallback<ConditionGroup> GroupChanged { get; set; }

    /// <summary>Set for nested groups only: the root cannot be removed.</summary>
    [Parameter] public EventCallback OnRemove { get; set; }

    /// <summary>Where this group is, in the validator's terms (<c>all</c>, <c>all[2].any</c>).</summary>
    [Parameter, EditorRequired] public string Location { get; set; } = "all";

    [Parameter] public int Depth { get; set; } = 1;

    [Parameter, EditorRequired] public BuilderContext Builder { get; set; } = default!;

    private static Condition NewCondition() => new("", FilterOperator.Equals);

    private Task SetModeAsync(GroupMode mode) =>
        mode == Group.Mode ? Task.CompletedTask : GroupChanged.InvokeAsync(new ConditionGroup(mode, Group.Children));

    private Task AddConditionAsync() => GroupChanged.InvokeAsync(new ConditionGroup(Group.Mode, [.. Group.Children, NewCondition()]));

    // A nested group is there to say the other thing ("all of … and any of these"), so it starts with the other mode.
    private Task AddGroupAsync()
    {
        var mode = Group.Mode == GroupMode.All ? GroupMode.Any : GroupMode.All;
        return GroupChanged.InvokeAsync(new ConditionGroup(Group.Mode, [.. Group.Children, new ConditionGroup(mode, [NewCondition()])]));
    }

    private Task ReplaceAsync(int index, FilterNode node) =>
        GroupChanged.InvokeAsync(new ConditionGroup(Group.Mode, Group.Children.Select((child, i) => i == index ? node : child)));

    private Task RemoveAsync(int index) =>
        GroupChanged.InvokeAsync(new ConditionGroup(Group.Mode, Group.Children.Where((_, i) => i != index)));
}
