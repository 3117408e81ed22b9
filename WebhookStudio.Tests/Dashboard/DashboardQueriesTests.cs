using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookStudio.Data;
using WebhookStudio.Features.Dashboard;
using WebhookStudio.Features.Items;
using WebhookStudio.Features.Sources;
using WebhookStudio.Features.Sources.Receiving;
using WebhookStudio.Tests.Infrastructure;

namespace WebhookStudio.Tests.Dashboard;

/// <summary>The dashboard's figures over rows written at known times, with the clock fixed.</summary>
public sealed class DashboardQueriesTests(SharedStudio shared) : SharedStudioTests(shared)
{
    private static readonly DateTime Now = new(2026, 11, 23, 14, 37, 10, DateTimeKind.Utc);
    private sealed class FixedClock(DateTime now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(now);
    }

    private IDbContextFactory<StudioDbContext> Contexts => Factory.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>();

    private readonly ReceiverRejections rejections = new(Microsoft.Extensions.Logging.Abstractions.NullLogger<ReceiverRejections>.Instance);

    private DashboardQueries Queries(DateTime? now = null) => new(Contexts, rejections, new FixedClock(now ?? Now));

    private async Task<int> SourceAsync(string name, SourceStatus status, DateTime? deletedAt = null)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        var source = new Source { Name = name, Token = Guid.NewGuid().ToString("N"), Status = status, CreatedAt = Now.AddDays(-1), UpdatedAt = Now, DeletedAt = deletedAt };
        db.Sources.Add(source);
        await db.SaveChangesAsync();
        return source.Id;
    }

    private async Task PayloadsAsync(int sourceId, params (DateTime At, PayloadOutcome Outcome)[] payloads)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        foreach (var (at, outcome) in payloads)
            db.Payloads.Add(new ReceivedPayload { SourceId = sourceId, ReceivedAt = at, ContentType = "application/json", Headers = "{}", Body = "{}"u8.ToArray(), Size = 2, Outcome = outcome, Reason = outcome == PayloadOutcome.Failed ? "no id at $.id" : null });
        await db.SaveChangesAsync();
    }

    private async Task ChangesAsync(int sourceId, params DateTime[] times)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        var item = new Item { SourceId = sourceId, ExternalId = Guid.NewGuid().ToString("N"), Data = "{}", CreatedAt = Now, UpdatedAt = Now };
        db.Items.Add(item);
        await db.SaveChangesAsync();
        foreach (var at in times)
            db.ItemChanges.Add(new ItemChange { ItemId = item.Id, Kind = ChangeKind.Updated, Fields = "[]", At = at });
        await db.SaveChangesAsync();
    }

    [Fact]
    public void The_24_buckets_are_the_current_utc_hour_and_the_23_before_it()
    {
        Assert.Equal(new DateTime(2026, 11, 22, 15, 0, 0, DateTimeKind.Utc), DashboardQueries.FirstHour(Now));
        Assert.Equal(new DateTime(2026, 11, 22, 15, 0, 0, DateTimeKind.Utc), DashboardQueries.FirstHour(new DateTime(2026, 11, 23, 14, 0, 0, DateTimeKind.Utc)));
        // Across midnight and a month end.
        Assert.Equal(new DateTime(2026, 11, 30, 1, 0, 0, DateTimeKind.Utc), DashboardQueries.FirstHour(new DateTime(2026, 12, 1, 0, 59, 59, DateTimeKind.Utc)));
    }

    [Fact]
    public async Task Payloads_and_item_changes_are_counted_per_hour_in_utc_edges_included()
    {
        var source = await SourceAsync("Shop", SourceStatus.Configured);
        var first = DashboardQueries.FirstHour(Now);
        await PayloadsAsync(source,
            (first.AddSeconds(-1), PayloadOutcome.Processed),            // before the window
            (first, PayloadOutcome.Processed),                           // first bucket, on its edge
            (first.AddMinutes(59).AddSeconds(59), PayloadOutcome.Processed),
            (first.AddHours(1), PayloadOutcome.Failed),                  // second bucket, on its edge
            (Now.AddMinutes(-30), PayloadOutcome.Processed),             // current hour
            (Now.AddMinutes(-1), PayloadOutcome.Rejected));
        await ChangesAsync(source, first.AddHours(5).AddMinutes(10), first.AddHours(5).AddMinutes(50), Now, first.AddDays(-1));

        var snapshot = await Queries().SnapshotAsync();

        Assert.Equal(24, snapshot.Hours.Count);
        Assert.Equal(Enumerable.Range(0, 24).Select(i => first.AddHours(i)), snapshot.Hours.Select(h => h.Start));
        Assert.All(snapshot.Hours, h => Assert.Equal(DateTimeKind.Utc, h.Start.Kind));
        Assert.Equal(2, snapshot.Hours[0].Payloads);
        Assert.Equal(1, snapshot.Hours[1].Payloads);
        Assert.Equal(2, snapshot.Hours[23].Payloads);
        Assert.Equal(0, snapshot.Hours.Skip(2).Take(21).Sum(h => h.Payloads));
        Assert.Equal(5, snapshot.PayloadsLastDay);
        Assert.Equal(2, snapshot.Hours[5].ItemChanges);
        Assert.Equal(1, snapshot.Hours[23].ItemChanges);
        Assert.Equal(3, snapshot.ItemChangesLastDay);
        Assert.Equal(2, snapshot.FailedLastDay);
        Assert.Equal(1, snapshot.Items);
    }

    [Fact]
    public async Task Awaiting_sources_and_recent_failures_are_listed_newest_first_without_deleted_sources()
    {
        var shop = await SourceAsync("Shop", SourceStatus.Configured);
        await SourceAsync("New CRM", SourceStatus.AwaitingFirstPayload);
        await SourceAsync("Gone", SourceStatus.AwaitingFirstPayload, deletedAt: Now);
        await PayloadsAsync(shop, (Now.AddHours(-30), PayloadOutcome.Failed), (Now.AddMinutes(-5), PayloadOutcome.Processed), (Now.AddMinutes(-2), PayloadOutcome.Failed));

        var snapshot = await Queries().SnapshotAsync();

        Assert.Equal(2, snapshot.Sources);
        Assert.False(snapshot.IsEmpty);
        Assert.Equal("New CRM", Assert.Single(snapshot.Awaiting).Name);
        Assert.Equal(2, snapshot.RecentFailures.Count);
        Assert.True(snapshot.RecentFailures[0].Id > snapshot.RecentFailures[1].Id);
        Assert.Equal("Shop", snapshot.RecentFailures[0].SourceName);
        Assert.Equal("no id at $.id", snapshot.RecentFailures[0].Reason);
        Assert.Equal(1, snapshot.FailedLastDay);
    }

    [Fact]
    public async Task Refused_requests_of_the_last_day_are_counted_and_listed_apart_from_stored_failures()
    {
        var shop = await SourceAsync("Shop", SourceStatus.Configured);
        var gone = await SourceAsync("Gone", SourceStatus.Configured, deletedAt: Now);
        await PayloadsAsync(shop, (Now.AddMinutes(-9), PayloadOutcome.Rejected));
        rejections.Record(new RejectedAttempt(shop, Now.AddHours(-25), 415, "Unsupported content type", "old", "text/plain", null, null));
        rejections.Record(new RejectedAttempt(shop, Now.AddMinutes(-8), 401, "Verification failed", "bad signature", "application/json", null, null, PayloadId: 1));
        rejections.Record(new RejectedAttempt(gone, Now.AddMinutes(-7), 415, "Unsupported content type", "of a deleted source", "text/plain", null, null));
        rejections.Record(new RejectedAttempt(shop, Now.AddMinutes(-6), 415, "Unsupported content type", "Send application/json", "text/plain", null, null));
        rejections.Record(new RejectedAttempt(shop, Now.AddMinutes(-3), 400, "Malformed JSON", "line 1", "application/json", null, null));

        var snapshot = await Queries().SnapshotAsync();

        // The signature failure is the stored rejected payload, counted once; the day-old and the deleted source's refusals are left out.
        Assert.Equal(1, snapshot.FailedLastDay);
        Assert.Equal(2, snapshot.RefusedLastDay);
        Assert.Equal([400, 415], snapshot.RecentRefusals!.Select(r => r.Status));
        Assert.All(snapshot.RecentRefusals!, r => Assert.Equal("Shop", r.SourceName));
    }

    [Fact]
    public async Task A_source_that_received_a_payload_no_longer_awaits_its_first_one()
    {
        var shop = await SourceAsync("Shop", SourceStatus.AwaitingFirstPayload);
        await SourceAsync("New CRM", SourceStatus.AwaitingFirstPayload);
        await using (var db = await Contexts.CreateDbContextAsync())
            await db.Sources.Where(s => s.Id == shop).ExecuteUpdateAsync(u => u.SetProperty(s => s.LastPayloadAt, Now.AddMinutes(-1)));

        var snapshot = await Queries().SnapshotAsync();

        Assert.Equal("New CRM", Assert.Single(snapshot.Awaiting).Name);
    }

    [Fact]
    public async Task A_fresh_install_is_empty_with_24_zero_buckets()
    {
        var snapshot = await Queries().SnapshotAsync();
        Assert.True(snapshot.IsEmpty);
        Assert.Equal(24, snapshot.Hours.Count);
        Assert.All(snapshot.Hours, h => Assert.Equal(0, h.Payloads + h.ItemChanges));
    }
}
