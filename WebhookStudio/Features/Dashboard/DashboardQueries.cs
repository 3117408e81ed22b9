using Microsoft.EntityFrameworkCore;
using WebhookStudio.Data;
using WebhookStudio.Features.Sources;
using WebhookStudio.Features.Sources.Receiving;

namespace WebhookStudio.Features.Dashboard;

/// <summary>One hour of the last day, in UTC: [<see cref="Start"/>, Start + 1 h).</summary>
public sealed record HourBucket(DateTime Start, int Payloads, int ItemChanges);

public sealed record AwaitingSource(int Id, string Name, string App, DateTime CreatedAt);

public sealed record FailedPayload(long Id, int SourceId, string SourceName, DateTime ReceivedAt, PayloadOutcome Outcome, string? Reason);

/// <summary>A request the receiver answered with an error and did not store (wrong content type, malformed JSON, too large…).</summary>
public sealed record RefusedRequest(int SourceId, string SourceName, DateTime At, int Status, string Title, string? Reason);

/// <param name="RefusedLastDay">Refused requests that left no payload, counted since the studio started (they are kept in memory only).</param>
public sealed record DashboardSnapshot(
    DateTime Now, int Sources, int Items, int PayloadsLastDay, int ItemChangesLastDay, int FailedLastDay,
    IReadOnlyList<HourBucket> Hours, IReadOnlyList<AwaitingSource> Awaiting, IReadOnlyList<FailedPayload> RecentFailures,
    int RefusedLastDay = 0, IReadOnlyList<RefusedRequest>? RecentRefusals = null)
{
    /// <summary>A fresh install: nothing to chart yet, so the page shows the first steps instead.</summary>
    public bool IsEmpty => Sources == 0;
}

/// <summary>The figures of the dashboard, all counted in UTC over the 24 whole hours that end with the current one.</summary>
public sealed class DashboardQueries(IDbContextFactory<StudioDbContext> contexts, ReceiverRejections rejections, TimeProvider clock)
{
    public const int Buckets = 24;
    private const int RecentCount = 6;

    /// <summary>The start of the first of the 24 hourly buckets: the current hour (UTC) and the 23 before it.</summary>
    public static DateTime FirstHour(DateTime nowUtc) =>
        new DateTime(nowUtc.Year, nowUtc.Month, nowUtc.Day, nowUtc.Hour, 0, 0, DateTimeKind.Utc).AddHours(-(Buckets - 1));

    public async Task<DashboardSnapshot> SnapshotAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var first = FirstHour(now);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);

        // One range count per hour and table: each reads only its slice of the ReceivedAt / At index, where
        // loading a busy day's timestamps would move hundreds of thousands of rows to group them here.
        var hours = new List<HourBucket>(Buckets);
        for (var i = 0; i < Buckets; i++)
        {
            var from = first.AddHours(i);
            var to = from.AddHours(1);
            var payloads = await db.Payloads.CountAsync(p => p.ReceivedAt >= from && p.ReceivedAt < to, cancellationToken);
            var changes = await db.ItemChanges.CountAsync(c => c.At >= from && c.At < to, cancellationToken);
            hours.Add(new HourBucket(from, payloads, changes));
        }
        var since = now.AddHours(-24);
        var failed = await db.Payloads.CountAsync(p => p.ReceivedAt >= since && (p.Outcome == PayloadOutcome.Failed || p.Outcome == PayloadOutcome.Rejected), cancellationToken);
        var sources = await db.Sources.CountAsync(s => s.DeletedAt == null, cancellationToken);
        var items = await db.Items.CountAsync(cancellationToken);
        var awaiting = await db.Sources.AsNoTracking()
            .Where(s => s.DeletedAt == null && s.Status == SourceStatus.AwaitingFirstPayload && s.LastPayloadAt == null)
            .OrderByDescending(s => s.CreatedAt).Take(8)
            .Select(s => new AwaitingSource(s.Id, s.Name, s.App, s.CreatedAt)).ToListAsync(cancellationToken);
        var failures = await (from p in db.Payloads.AsNoTracking()
                              where p.Outcome == PayloadOutcome.Failed || p.Outcome == PayloadOutcome.Rejected
                              orderby p.Id descending
                              join s in db.Sources on p.SourceId equals s.Id
                              select new FailedPayload(p.Id, p.SourceId, s.Name, p.ReceivedAt, p.Outcome, p.Reason))
            .Take(RecentCount).ToListAsync(cancellationToken);
        var refused = await RefusedSinceAsync(db, since, cancellationToken);
        return new DashboardSnapshot(now, sources, items, hours.Sum(h => h.Payloads), hours.Sum(h => h.ItemChanges), failed, hours, awaiting, failures,
            refused.Count, refused.Take(RecentCount).ToList());
    }

    /// <summary>Refusals that stored nothing: a refusal that kept a payload (a failed signature) is counted with the failed payloads.</summary>
    private async Task<List<RefusedRequest>> RefusedSinceAsync(StudioDbContext db, DateTime since, CancellationToken cancellationToken)
    {
        var attempts = rejections.Since(since).Where(a => a.PayloadId is null).ToList();
        if (attempts.Count == 0) return [];
        var ids = attempts.Select(a => a.SourceId).Distinct().ToList();
        var names = await db.Sources.AsNoTracking().Where(s => ids.Contains(s.Id) && s.DeletedAt == null)
            .ToDictionaryAsync(s => s.Id, s => s.Name, cancellationToken);
        return attempts.Where(a => names.ContainsKey(a.SourceId))
            .Select(a => new RefusedRequest(a.SourceId, names[a.SourceId], a.At, a.Status, a.Title, a.Reason)).ToList();
    }
}
