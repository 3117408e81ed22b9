using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using WebhookStudio.Data;
using WebhookStudio.Features.Deliveries;
using WebhookStudio.Tests.Infrastructure;
using static WebhookStudio.Tests.Infrastructure.ApiTestClient;

namespace WebhookStudio.Tests.Storage;

/// <summary>
/// Deliveries of one subscription with two app instances on one PostgreSQL database. They share the Hangfire
/// storage too, so a job enqueued by one instance may run on the other, and both reconcilers look at the same rows.
/// </summary>
public sealed class TwoInstancesDeliveryTests : IAsyncLifetime
{
    private PostgresTestDatabase database = default!;
    private LocalSink sink = default!;
    private readonly List<StudioFactory> instances = [];

    /// <summary>The one clock of the instances a test kills, moved past a dead instance's leases instead of waiting for them.</summary>
    private readonly FakeTimeProvider clock = new(DateTimeOffset.UtcNow);

    /// <summary>Completed to let the requests a holding sink keeps waiting go (at the latest on dispose).</summary>
    private readonly TaskCompletionSource sinkReleased = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task InitializeAsync()
    {
        if (PostgresServer.ConnectionString is null)
            return;
        database = await PostgresServer.CreateDatabaseAsync();
        sink = await LocalSink.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (database is null)
            return;
        sinkReleased.TrySetResult();
        foreach (var instance in instances)
            instance.Dispose();
        await sink.DisposeAsync();
        await database.DisposeAsync();
    }

    /// <summary>
    /// An instance that may send to the loopback sink, with a reconciler pass every second, so both instances'
    /// reconcilers keep re-enqueueing whatever is pending and due: their jobs compete for the same deliveries.
    /// </summary>
    private StudioFactory Instance(string? connectionString = null, Action<StudioFactory>? configure = null)
    {
        var factory = database.CreateFactory()
            .With("Outbound:AllowedNetworks:0", "127.0.0.0/8")
            .With("Deliveries:ReconcileEvery", "00:00:01");
        // A live instance's two Hangfire servers say goodbye to the database when stopping, which on a busy CI machine
        // can take longer than the usual 5 s; a hang still fails. An instance reached through a relay is the one a test
        // cuts off and kills: its servers never manage, and 5 s bound that wait.
        if (connectionString is null)
            factory.ShutdownTimeout = TimeSpan.FromSeconds(20);
        else
            factory.With("ConnectionStrings:Postgres", connectionString);
        configure?.Invoke(factory);
        instances.Add(factory);
        return factory;
    }

    /// <summary>Leases of 20 s (the sender's limit) + 1 s, and reconciler passes every second, of the test's clock.</summary>
    private void OnTestClock(StudioFactory factory) => factory.UseClock(clock)
        .With("Outbound:Timeout", "00:00:20")
        .With("Deliveries:LeaseMargin", "00:00:01");

    /// <summary>
    /// Stops a cut-off instance's host. Its Hangfire servers cannot say goodbye to the database and miss the
    /// shutdown timeout: that failure is what a dead instance looks like, not a test failure.
    /// </summary>
    private void Kill(StudioFactory instance)
    {
        instances.Remove(instance);
        try
        {
            instance.Dispose();
        }
        catch (Exception e) when (e is OperationCanceledException
                                  || e is AggregateException all && all.InnerExceptions.All(x => x is OperationCanceledException))
        {
        }
    }

    private sealed record Sent(long Id, string WebhookId, DeliveryStatus Status, int AttemptCount, DateTime? LeaseUntil);

    /// <summary>Deliveries as a list that prints them, for the message of a wait that ran out.</summary>
    private sealed class SentList(IEnumerable<Sent> deliveries) : List<Sent>(deliveries)
    {
        public override string ToString() => string.Join("; ", this);
    }

    private static async Task<SentList> DeliveriesAsync(StudioFactory instance, int subscriptionId)
    {
        await using var db = await instance.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContextAsync();
        return new SentList(await db.Deliveries.AsNoTracking().Where(d => d.SubscriptionId == subscriptionId).OrderBy(d => d.Id)
            .Select(d => new Sent(d.Id, d.WebhookId, d.Status, d.AttemptCount, d.LeaseUntil)).ToListAsync());
    }

    private static async Task<List<(long DeliveryId, int? Status)>> AttemptsAsync(StudioFactory instance, IEnumerable<long> deliveryIds)
    {
        var ids = deliveryIds.ToList();
        await using var db = await instance.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContextAsync();
        var attempts = await db.DeliveryAttempts.AsNoTracking().Where(a => ids.Contains(a.DeliveryId)).Select(a => new { a.DeliveryId, a.ResponseStatus }).ToListAsync();
        return attempts.Select(a => (a.DeliveryId, a.ResponseStatus)).ToList();
    }

    private Dictionary<string, int> SinkCounts() =>
        sink.Requests.GroupBy(r => r.Header("webhook-id") ?? "").ToDictionary(g => g.Key, g => g.Count());

    [PostgresFact]
    public async Task Deliveries_of_payloads_posted_to_both_are_each_sent_once()
    {
        const int orders = 60;
        // One delivery worker each: a job (a batch of deliveries) keeps an instance's worker busy for a while, so the
        // next one goes to the other instance's worker, and both run jobs.
        static void OneWorker(StudioFactory f) => f.With("Deliveries:Workers", "1");
        var first = Instance(configure: OneWorker);
        var second = Instance(configure: OneWorker);
        var apiFirst = await ForRoleAsync(first, "Admin");
        var apiSecond = await ForRoleAsync(second, "Admin");
        // A receiver that takes a little time, so sends overlap with the other instance's jobs and reconciler passes.
        sink.Respond = async (_, context) =>
        {
            await Task.Delay(Random.Shared.Next(20, 120));
            await context.Response.WriteAsync("ok");
        };
        var source = await apiFirst.SetUpSourceAsync("Orders", patch: new { entityPath = "$", idPath = "id", liveStream = true });
        var subscriptionId = Id(await apiFirst.CreateSubscriptionAsync(new { app = "crm", @event = "item.created", url = sink.Url(), sourceId = source.Id }));

        // Each instance processes what it receives and enqueues the deliveries of its items; either's workers may run them.
        await Task.WhenAll(Enumerable.Range(0, orders).Select(async i =>
        {
            var api = i % 2 == 0 ? apiFirst : apiSecond;
            await ExpectAsync(await api.PostHookAsync(source.Token, $$"""{"id":"order-{{i}}"}"""), HttpStatusCode.Accepted);
        }));

        var deliveries = await Eventually.Until(() => DeliveriesAsync(second, subscriptionId),
            d => d.Count == orders && d.All(x => x.Status == DeliveryStatus.Delivered),
            $"all {orders} deliveries to be delivered", TimeSpan.FromSeconds(120));

        // Nothing pending is left, so no send can still start: what the sink has is all it will get.
        var counts = SinkCounts();
        Assert.Equal(deliveries.Select(d => d.WebhookId).Order(), counts.Keys.Order());
        Assert.All(counts, c => Assert.True(c.Value == 1, $"webhook-id {c.Key} was sent {c.Value} times"));
        Assert.All(deliveries, d => Assert.Equal(1, d.AttemptCount));
        var attempts = await AttemptsAsync(second, deliveries.Select(d => d.Id));
        Assert.Equal(deliveries.Select(d => d.Id).Order(), attempts.Select(a => a.DeliveryId).Order());
        Assert.All(attempts, a => Assert.Equal(200, a.Status));
        // The premise: jobs for these deliveries ran on both instances' job servers.
        var servers = await database.ScalarAsync<long>(
            "SELECT count(DISTINCT s.data::jsonb->>'ServerId') FROM hangfire.state s JOIN hangfire.job j ON j.id = s.jobid " +
            "WHERE s.name = 'Processing' AND j.invocationdata::text LIKE '%DeliveryJob%'");
        Assert.Equal(2, servers);
    }

    [PostgresFact]
    public async Task Killing_an_instance_mid_delivery_lets_the_other_finish_its_deliveries_with_the_same_webhook_ids()
    {
        const int orders = 5;
        // A's sends are held by the sink until released; its leases last 21 s of the test's clock.
        sink.Respond = async (_, context) =>
        {
            await sinkReleased.Task;
            await context.Response.WriteAsync("ok");
        };

        // Instance A reaches the database through a relay the test can cut, as A's machine dying would.
        var target = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        await using var relay = new CuttableTcpRelay(target.Host!, target.Port);
        // A sends two at a time, so the other three wait; B has room for all five, so only the leases keep it off A's two.
        var first = Instance(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Host = "127.0.0.1", Port = relay.Port }.ToString(),
            f => OnTestClock(f.With("Deliveries:ConcurrencyPerSubscription", "2")));
        var apiFirst = await ForRoleAsync(first, "Admin");
        var source = await apiFirst.SetUpSourceAsync("Orders", patch: new { entityPath = "$", idPath = "id", liveStream = true });
        var subscriptionId = Id(await apiFirst.CreateSubscriptionAsync(new { app = "crm", @event = "item.created", url = sink.Url(), sourceId = source.Id }));
        for (var i = 0; i < orders; i++)
            await ExpectAsync(await apiFirst.PostHookAsync(source.Token, $$"""{"id":"order-{{i}}"}"""), HttpStatusCode.Accepted);

        // A alone: two sends in flight, the other three waiting their turn.
        await Eventually.Until(() => Task.FromResult(sink.Requests.Count), n => n == 2, "instance A to have two sends in flight", TimeSpan.FromSeconds(30));
        var inFlightOnA = SinkCounts().Keys.ToHashSet();

        // B starts while A is alive and holds its two leases: B's jobs and reconciler passes may take the waiting
        // three (the jobs A's workers fetch wait for one of A's slots), never A's two.
        var second = Instance(configure: OnTestClock);
        await ForRoleAsync(second, "Admin");
        var reconciler = second.Services.GetRequiredService<DeliveryReconciler>();
        // Three seconds of both reconcilers' passes go by, and one more of B's after each: every pending delivery is
        // overdue, so whatever no lease holds is enqueued again. B also runs a job for A's two itself; it sends neither.
        for (var pass = 0; pass < 3; pass++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            await reconciler.ReconcileAsync(CancellationToken.None);
        }
        var held = (await DeliveriesAsync(second, subscriptionId)).Where(d => inFlightOnA.Contains(d.WebhookId)).ToList();
        Assert.Equal(2, held.Count);
        await ActivatorUtilities.CreateInstance<DeliveryJob>(second.Services).RunAsync([.. held.Select(d => d.Id)], CancellationToken.None);
        var now = clock.GetUtcNow().UtcDateTime;
        held = (await DeliveriesAsync(second, subscriptionId)).Where(d => inFlightOnA.Contains(d.WebhookId)).ToList();
        Assert.All(held, d => Assert.True(d.Status == DeliveryStatus.Pending && d.LeaseUntil > now, $"delivery {d.Id} is {d.Status}, leased until {d.LeaseUntil:O}"));
        var sentWhileHeld = SinkCounts();
        Assert.All(inFlightOnA, id => Assert.True(sentWhileHeld[id] == 1, $"webhook-id {id}, leased by the live instance A, was sent {sentWhileHeld[id]} times"));

        // Kill A: its database connections are reset mid-send, so it can neither record, release nor requeue.
        relay.Cut();
        Kill(first);
        sinkReleased.SetResult();

        // The clock passes A's leases, taken before it first moved; any lease of B's, taken since, still holds.
        clock.Advance(held.Max(d => d.LeaseUntil)!.Value - now + TimeSpan.FromMilliseconds(500));
        await reconciler.ReconcileAsync(CancellationToken.None);
        var deliveries = await Eventually.Until(() => DeliveriesAsync(second, subscriptionId),
            d => d.Count == orders && d.All(x => x.Status == DeliveryStatus.Delivered),
            "instance B to deliver everything, A's two after their leases ran out", TimeSpan.FromSeconds(30));

        // At least once only across the killed instance: A's two were sent again by B with the same webhook-id
        // (the sink got A's too), every other delivery exactly once.
        var counts = SinkCounts();
        Assert.Equal(deliveries.Select(d => d.WebhookId).Order(), counts.Keys.Order());
        foreach (var delivery in deliveries)
            Assert.True(counts[delivery.WebhookId] == (inFlightOnA.Contains(delivery.WebhookId) ? 2 : 1),
                $"delivery {delivery.Id} ({(inFlightOnA.Contains(delivery.WebhookId) ? "in flight on A" : "not on A")}) was sent {counts[delivery.WebhookId]} times");
        // The database knows only the attempts that were recorded: one successful attempt each.
        Assert.All(deliveries, d => Assert.Equal(1, d.AttemptCount));
        var attempts = await AttemptsAsync(second, deliveries.Select(d => d.Id));
        Assert.Equal(deliveries.Select(d => d.Id).Order(), attempts.Select(a => a.DeliveryId).Order());
        Assert.All(attempts, a => Assert.Equal(200, a.Status));
    }

    [PostgresFact]
    public async Task A_delivery_one_instance_enqueued_and_a_killed_one_was_sending_is_finished_by_the_first()
    {
        sink.Respond = async (_, context) =>
        {
            await sinkReleased.Task;
            await context.Response.WriteAsync("ok");
        };
        // B has one delivery worker, so a job it enqueues while that worker is busy waits for another instance's.
        var second = Instance(configure: f => OnTestClock(f.With("Deliveries:Workers", "1")));
        var apiSecond = await ForRoleAsync(second, "Admin");
        var source = await apiSecond.SetUpSourceAsync("Orders", patch: new { entityPath = "$", idPath = "id", liveStream = true });
        var subscriptionId = Id(await apiSecond.CreateSubscriptionAsync(new { app = "crm", @event = "item.created", url = sink.Url(), sourceId = source.Id }));
        await ExpectAsync(await apiSecond.PostHookAsync(source.Token, """{"id":"order-0"}"""), HttpStatusCode.Accepted);
        await Eventually.Until(() => Task.FromResult(sink.Requests.Count), n => n == 1, "B's one worker to be busy with the first delivery", TimeSpan.FromSeconds(30));
        await ExpectAsync(await apiSecond.PostHookAsync(source.Token, """{"id":"order-1"}"""), HttpStatusCode.Accepted);
        await Eventually.Until(() => DeliveriesAsync(second, subscriptionId), d => d.Count == 2, "B to enqueue the second delivery");

        // A starts and its idle workers take B's queued job: A sends the second delivery, and is killed mid-send.
        var target = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        await using var relay = new CuttableTcpRelay(target.Host!, target.Port);
        var first = Instance(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Host = "127.0.0.1", Port = relay.Port }.ToString(),
            OnTestClock);
        _ = first.Services; // starts A
        await Eventually.Until(() => Task.FromResult(sink.Requests.Count), n => n == 2, "A to send the delivery B enqueued", TimeSpan.FromSeconds(30));
        relay.Cut();
        Kill(first);
        sinkReleased.SetResult();

        // B's own send ends; then the clock passes both leases. B enqueued A's job and never saw it start: once A's lease
        // has run out, B's reconciler takes the delivery up.
        var leased = await Eventually.Until(() => DeliveriesAsync(second, subscriptionId), d => d[0].Status == DeliveryStatus.Delivered, "B to record its own send");
        clock.Advance(leased[1].LeaseUntil!.Value - clock.GetUtcNow().UtcDateTime + TimeSpan.FromSeconds(1));
        await second.Services.GetRequiredService<DeliveryReconciler>().ReconcileAsync(CancellationToken.None);
        var deliveries = await Eventually.Until(() => DeliveriesAsync(second, subscriptionId),
            d => d.Count == 2 && d.All(x => x.Status == DeliveryStatus.Delivered),
            "B to deliver both, the one A was sending after its lease ran out", TimeSpan.FromSeconds(30));
        var counts = SinkCounts();
        Assert.Equal(1, counts[deliveries[0].WebhookId]);
        Assert.Equal(2, counts[deliveries[1].WebhookId]);
        Assert.All(deliveries, d => Assert.Equal(1, d.AttemptCount));
    }
}
