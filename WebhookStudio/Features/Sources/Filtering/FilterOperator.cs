namespace WebhookStudio.Features.Sources.Filtering;

/// <summary>
/// What a <see cref="Condition"/> checks. The snake_case names in <see cref="FilterOperators"/> are the
/// stored and public form; the enum member names are for code only and may be renamed freely.
/// </summary>
public enum FilterOperator
{
    /// <summary><c>equals</c>: ordinal text; numerically for JSON numbers (<c>1.0</c> equals <c>1</c>).</summary>
    Equals,
    /// <summary><c>not_equals</c>: passes when no selected value equals, including when nothing is selected.</summary>
    NotEquals,
    /// <summary><c>contains</c>: ordinal substring; for an array, any element equals the value.</summary>
    Contains,
    /// <summary><c>starts_with</c>: ordinal.</summary>
    StartsWith,
    /// <summary><c>ends_with</c>: ordinal.</summary>
    EndsWith,
    /// <summary><c>greater_than</c>: numbers, or dates (ISO-8601 or unix timestamps).</summary>
    GreaterThan,
    /// <summary><c>less_than</c>: numbers, or dates (ISO-8601 or unix timestamps).</summary>
    LessThan,
    /// <summary><c>exists</c>: the path selects something; a JSON <c>null</c> is present.</summary>
    Exists,
    /// <summary><c>not_exists</c>: the path selects nothing.</summary>
    NotExists,
    /// <summary><c>matches</c>: .NET regular expression, bounded by a timeout.</summary>
    Matches,
    /// <summary><c>in</c>: equals one of <see cref="Condition.Values"/>.</summary>
    In,
}

/// <summary>The op strings of the JSON form, and the rules about which operators take which value.</summary>
public static class FilterOperators
{
    private static readonly Dictionary<FilterOperator, string> Names = new()
    {
        [FilterOperator.Equals] = "equals",
        [FilterOperator.NotEquals] = "not_equals",
        [FilterOperator.Contains] = "contains",
        [FilterOperator.StartsWith] = "starts_with",
        [FilterOperator.EndsWith] = "ends_with",
        [FilterOperator.GreaterThan] = "greater_than",
        [FilterOperator.LessThan] = "less_than",
        [FilterOperator.Exists] = "exists",
        [FilterOperator.NotExists] = "not_exists",
        [FilterOperator.Matches] = "matches",
        [FilterOperator.In] = "in",
    };

    private static readonly Dictionary<string, FilterOperator> ByName =
        Names.ToDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    /// <summary>Every op string, in declaration order (for pickers and error messages).</summary>
    public static IReadOnlyList<string> All { get; } = [.. Enum.GetValues<FilterOperator>().Select(ToOpString)];

    /// <summary>The op string of <paramref name="op"/>, e.g. <c>greater_than</c>.</summary>
    public static string ToOpString(this FilterOperator op) =>
        Names.TryGetValue(op, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown operator.");

    /// <summary>Reads an op string; ordinal, so <c>Equals</c> is not <c>equals</c>.</summary>
    public static bool TryParse(string? text, out FilterOperator op) => ByName.TryGetValue(text ?? "", out op);

    /// <summary>Whether the operator compares against <see cref="Condition.Value"/>.</summary>
    public static bool TakesSingleValue(this FilterOperator op) => op is not (FilterOperator.Exists or FilterOperator.NotExists or FilterOperator.In);

    internal static bool IsDefinedOperator(this FilterOperator op) => Names.ContainsKey(op);
}
