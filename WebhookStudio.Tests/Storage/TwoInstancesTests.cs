using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WebhookStudio.Data;
using WebhookStudio.Features.Sources;
using WebhookStudio.Features.Sources.Receiving;
using WebhookStudio.Tests.Infrastructure;
using WebhookStudio.Infrastructure;

namespace WebhookStudio.Tests.Storage;

/// <summary>Two app instances on one PostgreSQL database, as behind a load balancer.</summary>
public sealed class TwoInstancesTests : IAsyncLifetime
{
    private PostgresTestDatabase database = default!;
    private StudioFactory first = default!, second = default!;
    private ApiTestClient apiFirst = default!, apiSecond = default!;

    public async Task InitializeAsync()
    {
        if (PostgresServer.ConnectionString is null)
            return;
        database = await PostgresServer.CreateDatabaseAsync();
        first = database.CreateFactory();
        second = database.CreateFactory();
        apiFirst = await ApiTestClient.ForRoleAsync(first, "Admin");
        apiSecond = await ApiTestClient.ForRoleAsync(second, "Admin");
        // Both listen before anything happens, so no event is sent before the other instance hears the channel.
        await first.Services.GetRequiredService<StudioEventRelay>().Listening.WaitAsync(TimeSpan.FromSeconds(10));
        await second.Services.GetRequiredService<StudioEventRelay>().Listening.WaitAsync(TimeSpan.FromSeconds(10));
    }

    public async Task DisposeAsync()
    {
        if (database is null)
            return;
        first.Dispose();
        second.Dispose();
        await database.DisposeAsync();
    }

    [PostgresFact]
    public async Task Payloads_posted_to_both_are_stored_and_processed_once_in_arrival_order()
    {
        const int perSource = 40;
        var sources = new List<ApiTestClient.CreatedSource>();
        for (var s = 0; s < 3; s++)
            sources.Add(await apiFirst.SetUpSourceAsync($"Shared {s}", patch: new { idPath = "id", liveStream = true }));

        // The items exist already, so competing processors would both update them rather than collide on creating them.
        foreach (var source in sources)
        {
            await apiFirst.PostHookAsync(source.Token, """{"id":"order-1","seq":0}""");
            await apiFirst.SettledPayloadsAsync(source.Id);
        }

        // A backlog first, then both processors go at it at once, so they compete for the same payloads. The
        // test holds the sources' processing claims meanwhile, as a third instance busy with them would.
        await using var holder = new NpgsqlConnection(database.ConnectionString);
        await holder.OpenAsync();
        var claims = await holder.BeginTransactionAsync();
        foreach (var source in sources)
        {
            await using var claim = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({(int)WorkLock.PayloadSource}, {source.Id})", holder, claims);
            await claim.ExecuteNonQueryAsync();
        }

        // Every payload changes the same item of its source, so each must be applied exactly once and in order:
        // a payload applied twice or late shows as a missing, extra or out-of-order change.
        var posts = sources.SelectMany(source => Enumerable.Range(1, perSource).Select(async seq =>
        {
            var api = seq % 2 == 0 ? apiFirst : apiSecond;
            var response = await api.PostHookAsync(source.Token, $$"""{"id":"order-1","seq":{{seq}}}""");
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }));
        await Task.WhenAll(posts);
        await claims.CommitAsync();
        first.Services.GetRequiredService<PayloadSignal>().Notify();
        second.Services.GetRequiredService<PayloadSignal>().Notify();

        await using var db = await first.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContextAsync();
        foreach (var source in sources)
        {
            var payloads = await apiSecond.SettledPayloadsAsync(source.Id);
            Assert.Equal(perSource + 1, payloads.Count);
            Assert.All(payloads, p => Assert.Equal("processed", (string)p!["outcome"]!));
            Assert.All(payloads, p => Assert.Equal(1, (int)p!["created"]! + (int)p!["updated"]!));

            var item = await db.Items.AsNoTracking().SingleAsync(i => i.SourceId == source.Id);
            var changes = await db.ItemChanges.AsNoTracking().Where(c => c.ItemId == item.Id).OrderBy(c => c.Id).Select(c => c.PayloadId ?? 0).ToListAsync();
            var arrival = await db.Payloads.AsNoTracking().Where(p => p.SourceId == source.Id).OrderBy(p => p.Id).Select(p => p.Id).ToListAsync();
            Assert.Equal(arrival, changes);

            // The item holds what the last payload to arrive said.
            var last = await db.Payloads.AsNoTracking().Where(p => p.SourceId == source.Id).OrderByDescending(p => p.Id).FirstAsync();
            Assert.Equal(Encoding.UTF8.GetString(last.Body).Replace(" ", "", StringComparison.Ordinal), item.Data);
        }
    }

    [PostgresFact]
    public async Task An_event_on_one_instance_reaches_the_others_live_views_and_not_its_work_listeners()
    {
        var views = new ConcurrentQueue<StudioEvent>();
        var work = new ConcurrentQueue<StudioEvent>();
        var own = new ConcurrentQueue<StudioEvent>();
        var secondEvents = second.Services.GetRequiredService<EventHub<StudioEvent>>();
        using var viewing = secondEvents.Subscribe(e => { views.Enqueue(e); return Task.CompletedTask; }, EventScope.AllInstances);
        using var working = secondEvents.Subscribe(e => { work.Enqueue(e); return Task.CompletedTask; });
        using var origin = first.Services.GetRequiredService<EventHub<StudioEvent>>().Subscribe(e => { own.Enqueue(e); return Task.CompletedTask; }, EventScope.AllInstances);

        var source = await apiFirst.SetUpSourceAsync("Live", patch: new { liveStream = false });
        var payloadId = await apiFirst.SendAcceptedAsync(await apiFirst.GetSourceAsync(source.Id), """{"id":"x"}""");

        var relayed = await Eventually.Until(() => Task.FromResult(views.Where(e => e.PayloadId == payloadId).ToList()), e => e.Count > 0,
            "the second instance's live view to hear of the payload");
        var received = Assert.Single(relayed);
        Assert.Equal(new StudioEvent(StudioEventKind.PayloadReceived, source.Id, payloadId) { FromOtherInstance = true }, received);
        Assert.DoesNotContain(work, e => e.PayloadId == payloadId);

        // Notifications reach a listener in the order they were sent: once a marker the second instance sends after
        // hearing the event is back at the first, any echo of the event would have arrived before it.
        var marker = new StudioEvent(StudioEventKind.PayloadProcessed, source.Id, -payloadId);
        secondEvents.Publish(marker);
        await Eventually.Until(() => Task.FromResult(own.Count(e => e.PayloadId == marker.PayloadId)), n => n > 0, "the marker to come back to the first instance");
        var heard = Assert.Single(own, e => e.PayloadId == payloadId);
        Assert.False(heard.FromOtherInstance);
    }

    [PostgresFact]
    public async Task A_token_rotated_on_one_instance_stops_working_on_the_other_within_seconds()
    {
        var source = await apiFirst.SetUpSourceAsync("Rotated", patch: new { idPath = "id", liveStream = true });
        Assert.Equal(HttpStatusCode.Accepted, (await apiSecond.PostHookAsync(source.Token, """{"id":"a"}""")).StatusCode);

        var rotated = await ApiTestClient.ExpectAsync(await apiFirst.Http.PostAsync($"{ApiTestClient.V1}/sources/{source.Id}/rotate-token", null), HttpStatusCode.OK);
        var newToken = rotated.GetProperty("token").GetString()!;
        await Eventually.Until(() => apiSecond.PostHookAsync(source.Token, """{"id":"b"}"""), r => r.StatusCode == HttpStatusCode.NotFound,
            "the old token to be refused by the second instance", TimeSpan.FromSeconds(15));
        Assert.Equal(HttpStatusCode.Accepted, (await apiSecond.PostHookAsync(newToken, """{"id":"c"}""")).StatusCode);
    }

    [PostgresFact]
    public async Task Secrets_encrypted_by_one_instance_are_read_by_the_other()
    {
        var protector = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test");
        var sealedText = protector.Protect("shared secret");
        Assert.Equal("shared secret", second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(sealedText));

        // The real use: a signing secret saved through one instance verifies webhooks received by the other.
        var source = await apiFirst.SetUpSourceAsync("Signed", patch: new { idPath = "id", liveStream = true, verification = new { kind = "github", secret = "gh-shared" } });
        var body = """{"id":"evt"}""";
        var signature = ApiTestClient.GitHubSignature("gh-shared", Encoding.UTF8.GetBytes(body));
        var good = await apiSecond.PostHookAsync(source.Token, body, headers: new Dictionary<string, string> { ["X-Hub-Signature-256"] = signature });
        Assert.Equal(HttpStatusCode.Accepted, good.StatusCode);
        var forged = await apiSecond.PostHookAsync(source.Token, body, headers: new Dictionary<string, string> { ["X-Hub-Signature-256"] = ApiTestClient.GitHubSignature("other", Encoding.UTF8.GetBytes(body)) });
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
    }
}
