using System.Text.Json;
using System.Text.Json.Serialization;
using WebhookStudio.Infrastructure;

namespace WebhookStudio.Features.Sources.Filtering;

/// <summary>
/// A node of a payload filter: a <see cref="ConditionGroup"/> or a <see cref="Condition"/>.
/// Nodes are immutable (collections are copied on construction) because <see cref="FilterEvaluator"/>
/// caches the compiled form of a group by reference.
/// </summary>
[JsonConverter(typeof(FilterNodeJsonConverter))]
public abstract record FilterNode;

/// <summary>How a group combines its children.</summary>
public enum GroupMode
{
    /// <summary><c>all</c>: every child holds (AND).</summary>
    All,
    /// <summary><c>any</c>: at least one child holds (OR).</summary>
    Any,
}

/// <summary>
/// An AND (<c>{"all":[…]}</c>) or OR (<c>{"any":[…]}</c>) of conditions and nested groups; the root of
/// every filter. Equality is structural, so an edited filter can be compared with the stored one.
/// </summary>
[JsonConverter(typeof(FilterNodeJsonConverter))]
public sealed record ConditionGroup : FilterNode
{
    /// <summary>Creates a group; <paramref name="children"/> is copied.</summary>
    public ConditionGroup(GroupMode mode, IEnumerable<FilterNode> children)
    {
        ArgumentNullException.ThrowIfNull(children);
        Mode = mode;
        Children = children.Select(child => child ?? throw new ArgumentException("A group cannot hold null.", nameof(children))).ToArray();
    }

    /// <summary>AND or OR.</summary>
    public GroupMode Mode { get; }

    /// <summary>Conditions and groups, in the order they are evaluated and shown.</summary>
    public IReadOnlyList<FilterNode> Children { get; }

    /// <summary>An AND group.</summary>
    public static ConditionGroup All(params FilterNode[] children) => new(GroupMode.All, children);

    /// <summary>An OR group.</summary>
    public static ConditionGroup Any(params FilterNode[] children) => new(GroupMode.Any, children);

    /// <summary>Reads the JSON form; throws <see cref="JsonException"/> with the location of the problem.</summary>
    public static ConditionGroup Parse(string json) =>
        JsonSerializer.Deserialize<ConditionGroup>(json) ?? throw new JsonException("A filter cannot be null.");

    /// <summary>The compact JSON form, e.g. <c>{"all":[{"path":"$.type","op":"equals","value":"x"}]}</c>.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, StudioJson.Options);

    /// <inheritdoc/>
    public bool Equals(ConditionGroup? other) =>
        other is not null && Mode == other.Mode && Children.SequenceEqual(other.Children);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Mode, Children.Count);

    /// <summary>The JSON form, which reads better in logs and test output than record syntax.</summary>
    public override string ToString() => ToJson();
}

/// <summary>
/// One test on the payload: <c>{"path":"$.type","op":"equals","value":"invoice.paid"}</c>.
/// </summary>
[JsonConverter(typeof(FilterNodeJsonConverter))]
public sealed record Condition : FilterNode
{
    /// <summary>Creates a condition; <paramref name="values"/> (for <c>in</c>) is copied.</summary>
    public Condition(string path, FilterOperator op, string? value = null, IEnumerable<string>? values = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        Path = path;
        Op = op;
        Value = value;
        Values = values?.ToArray();
    }

    /// <summary>
    /// A JSONPath (<c>$.data.object.id</c>, <c>$.commits[*].id</c>) or a bare field name (<c>type</c>,
    /// meaning <c>$.type</c>). Kept as the user wrote it so the stored form round-trips unchanged.
    /// </summary>
    public string Path { get; }

    /// <summary>The operator.</summary>
    public FilterOperator Op { get; }

    /// <summary>The value to compare with; always text, even for numbers and dates, as typed by the user.</summary>
    public string? Value { get; }

    /// <summary>The candidates of <c>in</c>; null for every other operator.</summary>
    public IReadOnlyList<string>? Values { get; }

    /// <summary>
    /// The path as a JSONPath Newtonsoft.Json understands: a bare field name gets a <c>$.</c> prefix
    /// (a bare <c>[0]</c> gets <c>$</c>).
    /// </summary>
    public string NormalizedPath => NormalizePath(Path);

    /// <inheritdoc/>
    public bool Equals(Condition? other) =>
        other is not null && Path == other.Path && Op == other.Op && Value == other.Value &&
        (Values is null ? other.Values is null : other.Values is not null && Values.SequenceEqual(other.Values));

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Path, Op, Value);

    /// <summary>The JSON form of this condition alone.</summary>
    public override string ToString() => JsonSerializer.Serialize(this, StudioJson.Options);

    internal static string NormalizePath(string path)
    {
        var trimmed = path.Trim();
        return trimmed switch
        {
            "" => trimmed,
            _ when trimmed[0] == '$' => trimmed,
            _ when trimmed[0] == '[' => "$" + trimmed,
            _ when trimmed[0] == '.' => "$" + trimmed,
            _ => "$." + trimmed,
        };
    }
}
