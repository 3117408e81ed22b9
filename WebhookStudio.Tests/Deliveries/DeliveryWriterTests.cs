using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookStudio.Data;
using WebhookStudio.Features.Deliveries;
using WebhookStudio.Features.Outbound;
using WebhookStudio.Features.Outbound.Templates;
using WebhookStudio.Features.Subscriptions;
using WebhookStudio.Tests.Infrastructure;
using WebhookStudio.Tests.Storage;

namespace WebhookStudio.Tests.Deliveries;

/// <summary>
/// The delivery writer's statements change each delivery in the database as they read it (no load first): what a
/// settlement, a mark or a claim leaves behind, read back through EF Core, on SQLite and on PostgreSQL.
/// </summary>
public abstract class DeliveryWriterTests
{
    private DateTime? at;

    protected abstract IServiceProvider Services { get; }

    /// <summary>
    /// The writer's own clock at the test's start, to the whole second: leases and deactivation are judged against
    /// that clock, so times built from it mean the same on any day.
    /// </summary>
    private DateTime At => at ??= WholeSeconds(Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);

    private static DateTime WholeSeconds(DateTime time) => new(time.Ticks - time.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);

    private DeliveryWriter Writer => Services.GetRequiredService<DeliveryWriter>();

    private IDbContextFactory<StudioDbContext> Contexts => Services.GetRequiredService<IDbContextFactory<StudioDbContext>>();

    [Fact]
    public Task Failures_count_against_the_subscription_and_a_success_ends_the_run() => FailuresThenSuccessAsync();

    [Fact]
    public Task Only_pending_deliveries_are_marked_and_an_attempt_on_a_cancelled_one_keeps_it_cancelled_unless_it_succeeded() => MarksAsync();

    [Fact]
    public Task A_live_lease_is_renewed_only_by_its_holder() => LeasesAsync();

    protected async Task LeasesAsync()
    {
        var (_, ids) = await SeedAsync(3);
        // Leases are compared with the writer's clock: these are live.
        var held = At.AddMinutes(10);
        var renewed = held.AddMinutes(1);

        Assert.Equal(new[] { true, true }, await Writer.ClaimAsync([ids[0], ids[1]], held, held: null, default));
        Assert.Equal(new[] { false }, await Writer.ClaimAsync([ids[0]], renewed, held: null, default));
        Assert.Equal(new[] { false }, await Writer.ClaimAsync([ids[0]], renewed, held: held.AddSeconds(-1), default));
        await Writer.MarkAsync(ids[1], DeliveryStatus.Cancelled, "Cancelled by a test.", default);
        // The holder renews its own lease; a settled one is no longer claimed; a free one is taken as well.
        Assert.Equal(new[] { true, false, true }, await Writer.ClaimAsync([ids[0], ids[1], ids[2]], renewed, held, default));

        await using var read = await Contexts.CreateDbContextAsync();
        var leases = await read.Deliveries.AsNoTracking().Where(d => ids.Contains(d.Id)).OrderBy(d => d.Id).Select(d => d.LeaseUntil).ToListAsync();
        // PostgreSQL keeps microseconds: compared to the millisecond.
        static long? Milliseconds(DateTime? at) => at?.Ticks / TimeSpan.TicksPerMillisecond;
        Assert.Equal([Milliseconds(renewed), null, Milliseconds(renewed)], leases.Select(Milliseconds));
    }

    protected async Task FailuresThenSuccessAsync()
    {
        var (subscriptionId, ids) = await SeedAsync(3);
        var retryAt = At.AddMinutes(5);
        var leaseUntil = At.AddHours(1);

        var retried = await Writer.SettleAsync(new Settlement(ids[0], subscriptionId, Failed(At), DeliveryStatus.Pending, retryAt, false), default);
        var failed = await Writer.SettleAsync(new Settlement(ids[1], subscriptionId, Failed(At.AddSeconds(1)), DeliveryStatus.Failed, null, false), default);
        await using (var db = await Contexts.CreateDbContextAsync())
        {
            var subscription = await db.Subscriptions.AsNoTracking().SingleAsync(s => s.Id == subscriptionId);
            Assert.Equal((2, At), (subscription.ConsecutiveFailures, subscription.FailingSince));
        }

        // A success; then the delivery to retry is claimed again.
        var delivered = await Writer.SettleAsync(new Settlement(ids[2], subscriptionId, Succeeded(At.AddSeconds(2)), DeliveryStatus.Delivered, null, false), default);
        Assert.Equal(new[] { true }, await Writer.ClaimAsync([ids[0]], leaseUntil, held: null, default));

        Assert.Equal((DeliveryStatus.Pending, DeliveryStatus.Failed, DeliveryStatus.Delivered), (retried.Status, failed.Status, delivered.Status));
        Assert.False(delivered.SubscriptionDeactivated);
        await using var read = await Contexts.CreateDbContextAsync();
        var after = await read.Subscriptions.AsNoTracking().SingleAsync(s => s.Id == subscriptionId);
        Assert.Equal((0, (DateTime?)null, true), (after.ConsecutiveFailures, after.FailingSince, after.Active));

        var rows = await read.Deliveries.AsNoTracking().Where(d => d.SubscriptionId == subscriptionId).OrderBy(d => d.Id).ToListAsync();
        Assert.Equal(
            [
                (DeliveryStatus.Pending, 1, (DateTime?)retryAt, (DateTime?)leaseUntil, (int?)500, FailureKind.ServerError, false),
                (DeliveryStatus.Failed, 1, null, null, 500, FailureKind.ServerError, true),
                (DeliveryStatus.Delivered, 1, null, null, 200, FailureKind.None, true),
            ],
            rows.Select(d => (d.Status, d.AttemptCount, d.NextAttemptAt, d.LeaseUntil, d.LastStatusCode, d.LastFailure, d.CompletedAt is not null)));
        Assert.Equal("The receiver failed (500).", rows[0].LastError);
        Assert.Null(rows[2].LastError);
        Assert.Equal(At.AddSeconds(2), rows[2].LastAttemptAt);

        var attempts = await read.DeliveryAttempts.AsNoTracking().Where(a => ids.Contains(a.DeliveryId)).OrderBy(a => a.DeliveryId).ToListAsync();
        Assert.Equal([(ids[0], 500), (ids[1], 500), (ids[2], 200)], attempts.Select(a => (a.DeliveryId, a.ResponseStatus ?? 0)));
    }

    protected async Task MarksAsync()
    {
        var (subscriptionId, ids) = await SeedAsync(3);

        await Writer.MarkAsync(ids[0], DeliveryStatus.Cancelled, "Cancelled by a test.", default);
        await Writer.MarkAsync(ids[1], DeliveryStatus.Buffered, null, default);
        // No longer pending: marking again changes nothing.
        await Writer.MarkAsync(ids[0], DeliveryStatus.Buffered, "not written", default);

        // Their answers arrive after all: a failure leaves the status as it is, a success still counts.
        var onCancelled = await Writer.SettleAsync(new Settlement(ids[0], subscriptionId, Failed(At), DeliveryStatus.Pending, At.AddMinutes(5), false), default);
        var onBuffered = await Writer.SettleAsync(new Settlement(ids[1], subscriptionId, Succeeded(At), DeliveryStatus.Delivered, null, false), default);
        // Erased meanwhile: nothing to record.
        var vanishedId = ids[2] + 1_000;
        var onVanished = await Writer.SettleAsync(new Settlement(vanishedId, subscriptionId, Succeeded(At), DeliveryStatus.Delivered, null, false), default);

        Assert.Equal((DeliveryStatus.Cancelled, DeliveryStatus.Delivered, DeliveryStatus.Cancelled), (onCancelled.Status, onBuffered.Status, onVanished.Status));
        Assert.Equal(new[] { false, true }, await Writer.ClaimAsync([ids[0], ids[2]], At.AddHours(1), held: null, default));
        await using var read = await Contexts.CreateDbContextAsync();
        var rows = await read.Deliveries.AsNoTracking().Where(d => d.SubscriptionId == subscriptionId).OrderBy(d => d.Id).ToListAsync();
        Assert.Equal((DeliveryStatus.Cancelled, 1, (DateTime?)null), (rows[0].Status, rows[0].AttemptCount, rows[0].NextAttemptAt));
        Assert.Equal("The receiver failed (500).", rows[0].LastError);
        Assert.NotNull(rows[0].CompletedAt);
        Assert.Equal((DeliveryStatus.Delivered, 1), (rows[1].Status, rows[1].AttemptCount));
        Assert.Equal((DeliveryStatus.Pending, (DateTime?)At.AddHours(1)), (rows[2].Status, rows[2].LeaseUntil));
        Assert.False(await read.DeliveryAttempts.AnyAsync(a => a.DeliveryId == vanishedId));
    }

    private static SendResult Failed(DateTime at) => new(at, Request, new ReceivedResponse(500, "Internal Server Error", [], "boom", false),
        TimeSpan.FromMilliseconds(12), FailureKind.ServerError, "The receiver failed (500).");

    private static SendResult Succeeded(DateTime at) => new(at, Request, new ReceivedResponse(200, "OK", [], "", false),
        TimeSpan.FromMilliseconds(3), FailureKind.None, null);

    private static RequestSummary Request => new("POST", "https://receiver.example/hook", [], "{}", "application/json");

    /// <summary>A subscription and pending deliveries due only tomorrow, so the delivery jobs leave them to the test.</summary>
    private async Task<(int SubscriptionId, long[] DeliveryIds)> SeedAsync(int deliveries)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        var subscription = new Subscription
        {
            Name = "Writer test", App = "test", Url = "https://receiver.example/hook", SigningSecretProtected = "not used",
            Activities = Activities.ItemCreated, CreatedAt = At, UpdatedAt = At,
        };
        db.Subscriptions.Add(subscription);
        await db.SaveChangesAsync();
        var rows = Enumerable.Range(0, deliveries).Select(_ => new Delivery
        {
            SubscriptionId = subscription.Id, Activity = Activities.ItemCreated, WebhookId = WebhookSignature.NewWebhookId(),
            ActivityJson = "{}", NextAttemptAt = At.AddDays(1), CreatedAt = At,
        }).ToList();
        db.Deliveries.AddRange(rows);
        await db.SaveChangesAsync();
        return (subscription.Id, [.. rows.Select(d => d.Id)]);
    }
}

public sealed class DeliveryWriterOnSqliteTests : DeliveryWriterTests, IDisposable
{
    private readonly StudioFactory factory = new();

    protected override IServiceProvider Services => factory.Services;

    public void Dispose() => factory.Dispose();
}

public sealed class DeliveryWriterOnPostgresTests(PostgresStudioFixture fixture) : IClassFixture<PostgresStudioFixture>
{
    private sealed class OnFixture(PostgresStudioFixture fixture) : DeliveryWriterTests
    {
        protected override IServiceProvider Services => fixture.Factory.Services;

        public Task FailuresThenSuccess() => FailuresThenSuccessAsync();

        public Task Marks() => MarksAsync();

        public Task Leases() => LeasesAsync();
    }

    [PostgresFact]
    public Task Failures_count_against_the_subscription_and_a_success_ends_the_run() => new OnFixture(fixture).FailuresThenSuccess();

    [PostgresFact]
    public Task Only_pending_deliveries_are_marked_and_an_attempt_on_a_cancelled_one_keeps_it_cancelled_unless_it_succeeded() => new OnFixture(fixture).Marks();

    [PostgresFact]
    public Task A_live_lease_is_renewed_only_by_its_holder() => new OnFixture(fixture).Leases();
}
