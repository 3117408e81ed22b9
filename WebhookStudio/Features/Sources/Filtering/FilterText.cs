namespace WebhookStudio.Features.Sources.Filtering;

/// <summary>
/// Filters in words. <see cref="Describe"/> is the wording the evaluator's reasons start with (and so the
/// payload outcomes stored in the database); <see cref="Friendly(ConditionGroup)"/> and <see cref="Label"/> are for editors
/// and summaries, where people read "type is one of …" rather than "$.type in […]".
/// </summary>
public static class FilterText
{
    private static readonly Dictionary<FilterOperator, string> Labels = new()
    {
        [FilterOperator.Equals] = "equals",
        [FilterOperator.NotEquals] = "not equals",
        [FilterOperator.Contains] = "contains",
        [FilterOperator.StartsWith] = "starts with",
        [FilterOperator.EndsWith] = "ends with",
        [FilterOperator.GreaterThan] = "greater than",
        [FilterOperator.LessThan] = "less than",
        [FilterOperator.Exists] = "exists",
        [FilterOperator.NotExists] = "does not exist",
        [FilterOperator.Matches] = "matches regex",
        [FilterOperator.In] = "is one of",
    };

    /// <summary>Operators in the order a picker offers them: the everyday ones first.</summary>
    public static IReadOnlyList<FilterOperator> PickerOrder { get; } =
    [
        FilterOperator.Equals, FilterOperator.NotEquals, FilterOperator.In, FilterOperator.Contains,
        FilterOperator.StartsWith, FilterOperator.EndsWith, FilterOperator.GreaterThan, FilterOperator.LessThan,
        FilterOperator.Exists, FilterOperator.NotExists, FilterOperator.Matches,
    ];

    /// <summary>The operator as people say it, e.g. "is one of" for <c>in</c>.</summary>
    public static string Label(this FilterOperator op) =>
        Labels.TryGetValue(op, out var label) ? label : $"op {(int)op}";

    /// <summary>
    /// The condition as reasons name it, with the path as picked and the operator as people say it:
    /// <c>$.type equals "invoice.paid"</c>, <c>$.amount greater than "1000"</c>, <c>$.status is one of ["a", "b"]</c>.
    /// Changing it changes the reasons of payloads filtered from then on, so keep it stable.
    /// </summary>
    public static string Describe(Condition condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var op = condition.Op.Label();
        var value = condition.Op switch
        {
            FilterOperator.In when condition.Values is not null => $" [{string.Join(", ", condition.Values.Select(FilterScalars.Quote))}]",
            _ when condition.Value is not null && condition.Op.TakesSingleValue() => " " + FilterScalars.Quote(condition.Value),
            _ => "",
        };
        return $"{condition.NormalizedPath} {op}{value}";
    }

    /// <summary>
    /// The condition in plain words: <c>type equals "invoice.paid"</c>, <c>status is one of "paid" or "open"</c>,
    /// <c>data.object.livemode does not exist</c>. A path reads without its <c>$.</c>.
    /// </summary>
    public static string Friendly(Condition condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var path = FriendlyPath(condition.Path);
        var value = condition.Op switch
        {
            FilterOperator.In when condition.Values is { Count: > 0 } values => " " + OneOf(values),
            _ when condition.Value is not null && condition.Op.TakesSingleValue() => " " + FilterScalars.Quote(condition.Value),
            _ => "",
        };
        return $"{(path.Length == 0 ? "(no field)" : path)} {condition.Op.Label()}{value}";
    }

    /// <summary>A whole group in plain words, nested groups in parentheses: <c>type equals "a" and (x exists or y exists)</c>.</summary>
    public static string Friendly(ConditionGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        var joiner = group.Mode == GroupMode.Any ? " or " : " and ";
        return string.Join(joiner, group.Children.Select(child => child switch
        {
            Condition condition => Friendly(condition),
            ConditionGroup { Children.Count: 1 } single => Friendly(single),
            ConditionGroup nested => $"({Friendly(nested)})",
            _ => "",
        }));
    }

    /// <summary><c>$.data.object.id</c> reads as <c>data.object.id</c>; <c>$[0].id</c> as <c>[0].id</c>; the root stays <c>$</c>.</summary>
    public static string FriendlyPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var trimmed = path.Trim();
        return trimmed.StartsWith("$.", StringComparison.Ordinal) ? trimmed[2..]
            : trimmed.StartsWith("$[", StringComparison.Ordinal) ? trimmed[1..]
            : trimmed;
    }

    private static string OneOf(IReadOnlyList<string> values)
    {
        var quoted = values.Select(FilterScalars.Quote).ToList();
        return quoted.Count == 1 ? quoted[0] : $"{string.Join(", ", quoted[..^1])} or {quoted[^1]}";
    }
}
