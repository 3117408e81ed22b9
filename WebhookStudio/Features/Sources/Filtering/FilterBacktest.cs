using WebhookStudio.Features.Sources.Pipeline;

namespace WebhookStudio.Features.Sources.Filtering;

/// <summary>What the filter would do with one payload.</summary>
public enum BacktestVerdict
{
    /// <summary>The filter lets it through.</summary>
    Processed,
    /// <summary>The filter stops it; the reason names the condition that did.</summary>
    Filtered,
    /// <summary>The body cannot be read as JSON, so no filter could let it through.</summary>
    Unreadable,
}

/// <summary>One payload of a backtest.</summary>
/// <param name="Reason">For a filtered payload, the same words its outcome would carry, e.g. <c>$.type equals "invoice.paid" — was "invoice.created"</c>.</param>
public sealed record BacktestRow(long PayloadId, DateTime ReceivedAt, BacktestVerdict Verdict, string? Reason);

/// <summary>A filter run over a source's recent payloads, newest first.</summary>
/// <param name="IgnoredConditions">Conditions left out because they are not filled in yet (no field, no value).</param>
public sealed record BacktestResult(IReadOnlyList<BacktestRow> Rows, ConditionGroup? EffectiveFilter, int IgnoredConditions)
{
    public int Total => Rows.Count;
    public int Processed => Rows.Count(r => r.Verdict == BacktestVerdict.Processed);
    public int Filtered => Rows.Count(r => r.Verdict == BacktestVerdict.Filtered);
    public int Unreadable => Rows.Count(r => r.Verdict == BacktestVerdict.Unreadable);
}

/// <summary>
/// Runs a filter that is still being edited over the payloads a source already received, so the user sees
/// what it would let through before saving it. Parsed payloads come from <see cref="RecentPayloadDocuments"/>,
/// so a run per keystroke only evaluates.
/// </summary>
public sealed class FilterBacktest(RecentPayloadDocuments documents)
{
    /// <summary>How many of the latest payloads a backtest covers.</summary>
    public const int PayloadCount = RecentPayloadDocuments.DefaultCount;

    /// <summary>
    /// Evaluates <paramref name="filter"/> (null: accept all) over the source's last <see cref="PayloadCount"/>
    /// payloads, leaving out conditions that are not filled in yet (see <see cref="WithoutIncomplete"/>).
    /// </summary>
    public async Task<BacktestResult> RunAsync(int sourceId, ConditionGroup? filter, CancellationToken cancellationToken = default)
    {
        var payloads = await documents.GetAsync(sourceId, PayloadCount, cancellationToken);
        var (effective, ignored) = WithoutIncomplete(filter);
        // Off the caller's thread: a pathological regex may use its timeout on every payload, and the caller
        // is usually a Blazor circuit that must keep answering the user meanwhile.
        var rows = await Task.Run(() => Evaluate(payloads, effective, cancellationToken), cancellationToken);
        return new BacktestResult(rows, effective, ignored);
    }

    /// <summary>
    /// The filter without the conditions a user has just added and not filled in (empty field, missing value)
    /// and without groups left empty by that; null when nothing remains. A half-typed row would otherwise stop
    /// every payload while the user is still typing it. Such a filter cannot be saved anyway: the validator
    /// reports those conditions.
    /// </summary>
    public static (ConditionGroup? Filter, int Ignored) WithoutIncomplete(ConditionGroup? filter)
    {
        if (filter is null)
            return (null, 0);
        var ignored = 0;
        var pruned = Prune(filter, ref ignored);
        return (pruned is { Children.Count: > 0 } ? pruned : null, ignored);
    }

    private static ConditionGroup? Prune(ConditionGroup group, ref int ignored)
    {
        var children = new List<FilterNode>(group.Children.Count);
        foreach (var child in group.Children)
        {
            switch (child)
            {
                case Condition condition when IsIncomplete(condition):
                    ignored++;
                    break;
                case ConditionGroup nested:
                    if (Prune(nested, ref ignored) is { } kept)
                        children.Add(kept);
                    break;
                default:
                    children.Add(child);
                    break;
            }
        }
        if (children.Count == 0)
            return null;
        // Unchanged groups keep their instance, so the evaluator's compiled form of them is reused.
        return children.Count == group.Children.Count && children.SequenceEqual(group.Children, ReferenceEqualityComparer.Instance)
            ? group
            : new ConditionGroup(group.Mode, children);
    }

    /// <summary>True when the condition lacks its field or the value its operator needs.</summary>
    public static bool IsIncomplete(Condition condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return condition.NormalizedPath.Length == 0
            || (condition.Op == FilterOperator.In ? condition.Values is not { Count: > 0 }
                : condition.Op.TakesSingleValue() && condition.Value is null);
    }

    private static List<BacktestRow> Evaluate(IReadOnlyList<RecentPayload> payloads, ConditionGroup? filter, CancellationToken cancellationToken)
    {
        var rows = new List<BacktestRow>(payloads.Count);
        foreach (var payload in payloads)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (payload.Document is null)
            {
                rows.Add(new BacktestRow(payload.Id, payload.ReceivedAt, BacktestVerdict.Unreadable, payload.ReadError));
                continue;
            }
            var verdict = FilterEvaluator.Evaluate(filter, payload.Document);
            rows.Add(new BacktestRow(payload.Id, payload.ReceivedAt,
                verdict.Passed ? BacktestVerdict.Processed : BacktestVerdict.Filtered, verdict.Reason));
        }
        return rows;
    }
}
