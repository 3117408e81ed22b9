using Microsoft.EntityFrameworkCore;
using WebhookStudio.Data;

namespace WebhookStudio.Features.Sources;

/// <summary>How a live source's recent payloads fared against its mapping.</summary>
public sealed record SourceHealth(int Failed, int Settled, bool NeedsAttention, string? LastFailure)
{
    public static SourceHealth Healthy { get; } = new(0, 0, false, null);

    public int FailedPercent => Settled == 0 ? 0 : (int)Math.Round(100.0 * Failed / Settled);

    public string Summary => Settled == 1
        ? "Its last payload failed the mapping."
        : $"{Failed} of its last {Settled} payloads failed the mapping ({FailedPercent}%).";
}

/// <summary>
/// When a live source needs attention: its sender changed shape (a renamed field, a new event type) and the
/// mapping stops finding ids. Judged on the last <see cref="Window"/> payloads that reached the mapping
/// (processed, filtered or failed), so a burst of duplicates or a paused period does not hide or fake it.
/// </summary>
public static class SourceHealthRule
{
    public const int Window = 50;

    /// <summary>A fifth failing is far beyond the odd malformed event and well before the source is useless.</summary>
    public const double FailedShare = 0.2;

    public static bool IsSettled(PayloadOutcome outcome) =>
        outcome is PayloadOutcome.Processed or PayloadOutcome.Filtered or PayloadOutcome.Failed;

    /// <param name="newestFirst">The source's payload outcomes, newest first; only settled ones count, at most <see cref="Window"/>.</param>
    public static SourceHealth Evaluate(IEnumerable<PayloadOutcome> newestFirst, string? lastFailure = null)
    {
        ArgumentNullException.ThrowIfNull(newestFirst);
        var settled = newestFirst.Where(IsSettled).Take(Window).ToList();
        var failed = settled.Count(o => o == PayloadOutcome.Failed);
        var needsAttention = settled.Count > 0 && failed >= settled.Count * FailedShare;
        return new SourceHealth(failed, settled.Count, needsAttention, failed > 0 ? lastFailure : null);
    }
}

/// <summary>Applies <see cref="SourceHealthRule"/> to the live sources, for the Sources page and the dashboard.</summary>
public sealed class SourceHealthMonitor(IDbContextFactory<StudioDbContext> contexts)
{
    private static readonly PayloadOutcome[] Settled = [PayloadOutcome.Processed, PayloadOutcome.Filtered, PayloadOutcome.Failed];

    /// <summary>The health of each given source that has its live stream on; paused ones are not judged.</summary>
    public async Task<IReadOnlyDictionary<int, SourceHealth>> CheckAsync(IEnumerable<Source> sources, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var result = new Dictionary<int, SourceHealth>();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // One small indexed query per live source ((SourceId, Id) index): a studio has tens of sources, not thousands.
        foreach (var source in sources.Where(s => s.LiveStream && s.DeletedAt == null))
        {
            var recent = await db.Payloads.AsNoTracking()
                .Where(p => p.SourceId == source.Id && Settled.Contains(p.Outcome))
                .OrderByDescending(p => p.Id).Take(SourceHealthRule.Window)
                .Select(p => new { p.Outcome, p.Reason })
                .ToListAsync(cancellationToken);
            var lastFailure = recent.FirstOrDefault(p => p.Outcome == PayloadOutcome.Failed)?.Reason;
            result[source.Id] = SourceHealthRule.Evaluate(recent.Select(p => p.Outcome), lastFailure);
        }
        return result;
    }

    /// <summary>Live sources whose recent payloads fail the mapping, worst first.</summary>
    public async Task<IReadOnlyList<(Source Source, SourceHealth Health)>> NeedingAttentionAsync(CancellationToken cancellationToken = default)
    {
        List<Source> live;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
            live = await db.Sources.AsNoTracking().Where(s => s.LiveStream && s.DeletedAt == null).ToListAsync(cancellationToken);
        var health = await CheckAsync(live, cancellationToken);
        return live.Where(s => health.TryGetValue(s.Id, out var h) && h.NeedsAttention)
            .Select(s => (s, health[s.Id]))
            .OrderByDescending(x => x.Item2.FailedPercent)
            .ToList();
    }
}
