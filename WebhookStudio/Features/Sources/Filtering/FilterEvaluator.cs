using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;

namespace WebhookStudio.Features.Sources.Filtering;

/// <summary>Whether a payload passed a filter, and if not, why, in words a user can act on.</summary>
/// <param name="Passed">True when the payload should be processed.</param>
/// <param name="Reason">Null when passed; otherwise e.g. <c>$.type equals "invoice.paid" — was "invoice.created"</c>.</param>
public sealed record FilterVerdict(bool Passed, string? Reason)
{
    /// <summary>The verdict for a payload that passed.</summary>
    public static FilterVerdict Pass { get; } = new(true, null);

    /// <summary>The verdict for a payload filtered out.</summary>
    public static FilterVerdict Fail(string reason) => new(false, reason);
}

/// <summary>
/// Runs a filter against a payload. It runs once per received payload, so each group is compiled once
/// (paths parsed, values read as numbers and dates, regexes built) and the compiled form is cached for
/// as long as the <see cref="ConditionGroup"/> instance lives: keep the parsed group, don't re-parse
/// its JSON per payload. It never throws on payload content: a bad path, value or a regex that times
/// out makes its condition false, with the reason.
/// </summary>
/// <remarks>
/// Text comparisons are ordinal (case-sensitive) on purpose: predictable and fast; <c>matches</c> with
/// <c>(?i)</c> covers the rest. Parse payloads with <c>DateParseHandling.None</c> so text operators see
/// dates as they were sent; Date tokens from a default parse still compare as dates.
/// </remarks>
public static class FilterEvaluator
{
    /// <summary>How long one <c>matches</c> may run on one value; guards against catastrophic backtracking.</summary>
    public static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

    private const int RegexCacheLimit = 1000;
    private static readonly ConcurrentDictionary<string, Regex> Regexes = new(StringComparer.Ordinal);
    private static readonly ConditionalWeakTable<ConditionGroup, Node> Compiled = [];

    /// <summary>Evaluates <paramref name="group"/>; a null group accepts every payload.</summary>
    public static FilterVerdict Evaluate(ConditionGroup? group, JToken payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (group is null)
            return FilterVerdict.Pass;
        var node = Compiled.GetValue(group, static g => Compile(g));
        return node.Holds(payload, out var reason) ? FilterVerdict.Pass : FilterVerdict.Fail(reason!);
    }

    /// <summary>Builds (or reuses) the regex of a <c>matches</c> condition; null with the message when invalid.</summary>
    internal static Regex? TryGetRegex(string pattern, out string? error)
    {
        error = null;
        if (Regexes.TryGetValue(pattern, out var cached))
            return cached;
        try
        {
            var regex = new Regex(pattern, RegexOptions.None, RegexTimeout);
            // Patterns come from user-edited filters; a crude bound beats unbounded growth and is rarely hit.
            if (Regexes.Count >= RegexCacheLimit)
                Regexes.Clear();
            return Regexes.GetOrAdd(pattern, regex);
        }
        catch (ArgumentException ex)
        {
            error = ex.Message;
            return null;
        }
    }

    private static Node Compile(FilterNode node) => node switch
    {
        ConditionGroup group => new GroupNode(group.Mode, [.. group.Children.Select(Compile)]),
        Condition condition => new ConditionNode(condition),
        _ => throw new ArgumentException($"Unknown filter node type {node.GetType().Name}.", nameof(node)),
    };

    private abstract class Node
    {
        public abstract bool Holds(JToken payload, out string? reason);
    }

    private sealed class GroupNode(GroupMode mode, Node[] children) : Node
    {
        public override bool Holds(JToken payload, out string? reason)
        {
            reason = null;
            if (mode == GroupMode.All)
            {
                foreach (var child in children)
                {
                    if (!child.Holds(payload, out reason))
                        return false;
                }
                return true;
            }

            if (children.Length == 0)
            {
                reason = "an empty 'any' group holds for no payload";
                return false;
            }
            var failures = new List<string>(children.Length);
            foreach (var child in children)
            {
                if (child.Holds(payload, out var childReason))
                    return true;
                failures.Add(child is GroupNode ? $"({childReason})" : childReason!);
            }
            reason = "None of these held: " + string.Join("; ", failures);
            return false;
        }
    }

    private sealed class ConditionNode : Node
    {
        private const string NotComparable = "not a number or a date";

        private readonly FilterOperator op;
        private readonly FilterPath? path;
        private readonly string label;
        private readonly string? setupError;
        private readonly Operand operand = Operand.None;
        private readonly Operand[] candidates = [];
        private readonly Regex? regex;

        public ConditionNode(Condition condition)
        {
            op = condition.Op;
            var normalizedPath = condition.NormalizedPath;
            label = FilterText.Describe(condition);
            if (condition.Value is not null)
                operand = new Operand(condition.Value);
            if (condition.Values is not null)
                candidates = [.. condition.Values.Select(value => new Operand(value))];
            setupError = Prepare(condition, normalizedPath, operand, out path, out regex);
        }

        // A condition that cannot be compiled fails every payload, saying why (the validator says it earlier).
        private static string? Prepare(Condition condition, string normalizedPath, Operand operand, out FilterPath? path, out Regex? regex)
        {
            path = null;
            regex = null;
            var op = condition.Op;
            if (normalizedPath.Length == 0)
                return "the path is empty";
            if ((path = FilterPath.TryCompile(normalizedPath, out var pathError)) is null)
                return $"invalid JSONPath: {pathError}";
            if (!op.IsDefinedOperator())
                return $"unknown operator {(int)op}";
            if (op == FilterOperator.In)
                return condition.Values is null ? "no list of values" : null;
            if (!op.TakesSingleValue())
                return null;
            if (condition.Value is null)
                return "no value to compare with";
            if (op is FilterOperator.GreaterThan or FilterOperator.LessThan && operand.Number is null && operand.Date is null)
                return $"the value is {NotComparable}";
            if (op == FilterOperator.Matches && (regex = TryGetRegex(condition.Value, out var regexError)) is null)
                return $"invalid regular expression: {regexError}";
            return null;
        }

        public override bool Holds(JToken payload, out string? reason)
        {
            reason = null;
            if (setupError is not null)
            {
                reason = $"{label} — {setupError}";
                return false;
            }

            if (path!.Select(payload, out var selectError) is not { } tokens)
            {
                reason = $"{label} — the JSONPath failed on this payload: {selectError}";
                return false;
            }

            switch (op)
            {
                case FilterOperator.Exists when tokens.Count > 0:
                case FilterOperator.NotExists when tokens.Count == 0:
                    return true;
                case FilterOperator.NotExists:
                    reason = $"{label} — was {Show(tokens)}";
                    return false;
                case FilterOperator.NotEquals:
                    var equal = tokens.Where(token => AreEqual(token, operand)).ToList();
                    if (equal.Count == 0)
                        return true;
                    reason = $"{label} — was {Show(equal)}";
                    return false;
            }

            if (tokens.Count == 0)
            {
                reason = $"{label} — not present";
                return false;
            }
            string? problem = null;
            foreach (var token in tokens)
            {
                if (Test(token, ref problem))
                    return true;
            }
            reason = $"{label} — was {Show(tokens)}{(problem is null ? "" : ", " + problem)}";
            return false;
        }

        private bool Test(JToken token, ref string? problem)
        {
            switch (op)
            {
                case FilterOperator.Equals:
                    return AreEqual(token, operand);
                case FilterOperator.In:
                    return candidates.Any(candidate => AreEqual(token, candidate));
                case FilterOperator.Contains when token is JArray array:
                    return array.Any(item => AreEqual(item, operand));
                case FilterOperator.GreaterThan or FilterOperator.LessThan:
                    if (TryCompare(token, operand, out var comparison))
                        return op == FilterOperator.GreaterThan ? comparison > 0 : comparison < 0;
                    problem ??= NotComparable;
                    return false;
            }

            if (FilterScalars.Text(token) is not { } text)
                return false;
            switch (op)
            {
                case FilterOperator.Contains:
                    return text.Contains(operand.Text, StringComparison.Ordinal);
                case FilterOperator.StartsWith:
                    return text.StartsWith(operand.Text, StringComparison.Ordinal);
                case FilterOperator.EndsWith:
                    return text.EndsWith(operand.Text, StringComparison.Ordinal);
                case FilterOperator.Matches:
                    try
                    {
                        return regex!.IsMatch(text);
                    }
                    catch (RegexMatchTimeoutException)
                    {
                        problem = $"the regular expression timed out after {RegexTimeout.TotalMilliseconds:0} ms";
                        return false;
                    }
                default:
                    return false;
            }
        }

        private static bool AreEqual(JToken token, Operand operand) => token.Type switch
        {
            JTokenType.Integer or JTokenType.Float =>
                operand.Number is { } expected && FilterNumber.TryFrom(token, out var actual) && FilterNumber.Compare(actual, expected) == 0,
            // A payload parsed with date handling on has Date tokens whose original text is gone.
            JTokenType.Date =>
                operand.Date is { } expected && FilterScalars.TryGetDate(token, out var actual) && actual == expected,
            JTokenType.Object or JTokenType.Array => false,
            _ => FilterScalars.Text(token) == operand.Text,
        };

        // Numbers first, so two unix timestamps or an amount in a string ("403.00") compare as numbers;
        // dates when one side is an ISO date and the other an ISO date or a unix timestamp.
        private static bool TryCompare(JToken token, Operand operand, out int comparison)
        {
            comparison = 0;
            if (operand.Number is { } expected && TryGetNumber(token, out var actual))
                comparison = FilterNumber.Compare(actual, expected);
            else if (operand.Date is { } expectedDate && FilterScalars.TryGetDate(token, out var actualDate))
                comparison = actualDate.CompareTo(expectedDate);
            else
                return false;
            return true;
        }

        private static bool TryGetNumber(JToken token, out FilterNumber number) =>
            FilterNumber.TryFrom(token, out number)
            || (token is JValue { Value: string text } && FilterNumber.TryParse(text, out number));

        private static string Show(IReadOnlyList<JToken> tokens)
        {
            const int shown = 3;
            var text = string.Join(", ", tokens.Take(shown).Select(FilterScalars.Show));
            return tokens.Count > shown ? $"{text} and {tokens.Count - shown} more" : text;
        }
    }

    /// <summary>A filter value, read once as text, number and date.</summary>
    private sealed class Operand
    {
        public static readonly Operand None = new("");

        public Operand(string text)
        {
            Text = text;
            Number = FilterNumber.TryParse(text, out var number) ? number : null;
            Date = FilterScalars.TryParseDate(text, out var date) ? date : null;
        }

        public string Text { get; }
        public FilterNumber? Number { get; }
        public DateTimeOffset? Date { get; }
    }
}
