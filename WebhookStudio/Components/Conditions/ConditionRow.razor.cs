using Microsoft.AspNetCore.Components;
using WebhookStudio.Features.Sources.Filtering;

namespace WebhookStudio.Components.Conditions;

/// <summary>One condition: field, operator and a value input that fits the operator.</summary>
public partial class ConditionRow
{
    private int valuesInputKey;

    [Parameter, EditorRequired] public Condition Condition { get; set; } = new("", FilterOperator.Equals);

    [Parameter] public EventCallback<Condition> ConditionChanged { get; set; }

    [Parameter] public EventCallback OnRemove { get; set; }

    /// <summary>Where this condition is, in the validator's terms (<c>all[0]</c>).</summary>
    [Parameter, EditorRequired] public string Location { get; set; } = "all[0]";

    [Parameter, EditorRequired] public BuilderContext Builder { get; set; } = default!;

    private string? PathError => Builder.ErrorAt(Location + ".path");

    private string? ValueError => Builder.ErrorAt(Location + ".value");

    private string ValueLabel => Condition.Op switch
    {
        FilterOperator.Matches => "Regular expression",
        FilterOperator.GreaterThan or FilterOperator.LessThan => "Number or date",
        _ => "Value",
    };

    private string? ValuePlaceholder => Condition.Op switch
    {
        FilterOperator.Matches => "^invoice\\.(paid|created)$",
        FilterOperator.GreaterThan or FilterOperator.LessThan => "1000 or 2026-01-31",
        _ => null,
    };

    private Task<IEnumerable<string>> SearchFieldsAsync(string? text, CancellationToken cancellationToken)
    {
        var fields = Builder.Fields;
        IEnumerable<string> found = string.IsNullOrWhiteSpace(text) || fields.Contains(text, StringComparer.Ordinal)
            ? fields
            : fields.Where(f => f.Contains(text.Trim(), StringComparison.OrdinalIgnoreCase));
        return Task.FromResult(found);
    }

    private Task SetPathAsync(string? path) =>
        (path ?? "") == Condition.Path ? Task.CompletedTask : Emit(new Condition((path ?? "").Trim(), Condition.Op, Condition.Value, Condition.Values));

    // The value is carried over where it still makes sense: a single value becomes the first of a list and back.
    private Task SetOperatorAsync(FilterOperator op)
    {
        if (op == Condition.Op)
            return Task.CompletedTask;
        var single = Condition.Value ?? Condition.Values?.FirstOrDefault();
        var next = op switch
        {
            FilterOperator.In => new Condition(Condition.Path, op, null, Condition.Values ?? (single is null ? [] : [single])),
            _ when op.TakesSingleValue() => new Condition(Condition.Path, op, single),
            _ => new Condition(Condition.Path, op),
        };
        return Emit(next);
    }

    // An emptied box means "no value yet" rather than "equals the empty string", which is what people mean.
    private Task SetValueAsync(string? value) =>
        Emit(new Condition(Condition.Path, Condition.Op, string.IsNullOrEmpty(value) ? null : value));

    private async Task AddValuesAsync(string? text)
    {
        var added = (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        // A new key empties the box for the next value; the text field keeps its own text otherwise.
        valuesInputKey++;
        if (added.Length == 0)
            return;
        var values = (Condition.Values ?? []).Concat(added.Where(v => Condition.Values?.Contains(v, StringComparer.Ordinal) != true)).Distinct(StringComparer.Ordinal);
        await Emit(new Condition(Condition.Path, Condition.Op, null, values));
    }

    private Task RemoveValueAsync(int index) =>
        Emit(new Condition(Condition.Path, Condition.Op, null, (Condition.Values ?? []).Where((_, i) => i != index)));

    private Task Emit(Condition condition) => ConditionChanged.InvokeAsync(condition);
}
