using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookStudio.Data;
using WebhookStudio.Features.Deliveries;
using WebhookStudio.Tests.Infrastructure;
using static WebhookStudio.Tests.Infrastructure.ApiTestClient;

namespace WebhookStudio.Tests.Deliveries;

/// <summary>The delivery pipeline end to end: fan-out from the pipeline, the job, failures in words, 410, leases, concurrency (retries: <see cref="RetryScheduleTests"/>).</summary>
public sealed class DeliveryPipelineTests(SharedStudio shared) : DeliveryTestBase(shared, f => f.With("Deliveries:ConcurrencyPerSubscription", "2"))
{
    [Fact]
    public async Task A_new_item_is_delivered_once_signed_with_the_stable_webhook_id_and_the_attempt_is_recorded()
    {
        var created = await Api.CreateSubscriptionAsync(new { app = "crm", events = new[] { "item.created", "item.updated" }, url = Sink.Url(), sourceId = Orders.Id });
        var subscriptionId = Id(created);
        var secret = created.GetProperty("signingSecret").GetString()!;

        await SendOrderAsync("A-1", "new");
        var deliveries = await WaitForDeliveriesAsync(subscriptionId, d => All(d, 1, "delivered"), "the order to be delivered");
        var delivery = deliveries[0]!;
        Assert.Equal("item.created", (string)delivery["event"]!);
        Assert.Equal(1, (int)delivery["attemptCount"]!);
        var webhookId = (string)delivery["webhookId"]!;
        Assert.StartsWith("msg_", webhookId, StringComparison.Ordinal);

        var request = Sink.Single();
        Assert.Equal(webhookId, request.Header("webhook-id"));
        var timestamp = request.Header("webhook-timestamp")!;
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{webhookId}.{timestamp}.").Concat(request.Body).ToArray()));
        Assert.Contains(expected, request.Header("webhook-signature")!.Split(' '));
        var body = JsonNode.Parse(request.BodyText)!;
        Assert.Equal("item.created", (string)body["event"]!);
        Assert.Equal("A-1", (string)body["item"]!["data"]!["id"]!);

        var detail = await DeliveryAsync((long)delivery["id"]!);
        var attempt = Assert.Single((JsonArray)detail["attempts"]!)!;
        Assert.Equal(200, (int)attempt["responseStatus"]!);
        Assert.Equal("ok", (string)attempt["responseBody"]!);
        Assert.Equal("none", (string)attempt["failure"]!);
        Assert.Contains("webhook-signature", attempt["request"]!["headers"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(expected, detail.ToJsonString(), StringComparison.Ordinal);

        // An update of the same item is a second activity with its own webhook-id; an identical re-send is none.
        await SendOrderAsync("A-1", "paid");
        await SendOrderAsync("A-1", "paid");
        deliveries = await WaitForDeliveriesAsync(subscriptionId, d => All(d, 2, "delivered"), "the update to be delivered");
        Assert.Equal("item.updated", (string)deliveries[0]!["event"]!);
        Assert.NotEqual(webhookId, (string)deliveries[0]!["webhookId"]!);
        await Api.SettledPayloadsAsync(Orders.Id);
        Assert.Equal(2, Sink.Requests.Count);
    }

    [Theory]
    [InlineData("http://127.0.0.1:1/hook", "connection_refused", "Connection refused")]
    [InlineData("http://no-such-host.invalid/hook", "dns_not_found", "DNS name not found")]
    [InlineData("http://169.254.169.254/latest", "blocked_address", "Blocked address")]
    public async Task Each_failure_kind_is_recorded_in_plain_words(string url, string kind, string words)
    {
        var subscriptionId = await SubscribeAsync(new { maxAttempts = 1 });
        // A literal blocked address is refused at save; the sender refuses it again whenever it is reached.
        await Api.RepointSubscriptionAsync(subscriptionId, url);
        await SendOrderAsync("D-1", "new");
        var delivery = (await WaitForDeliveriesAsync(subscriptionId, d => All(d, 1, "failed"), $"the {kind} failure"))[0]!;
        Assert.Equal(kind, (string)delivery["lastFailure"]!);
        Assert.StartsWith(words, (string)delivery["lastError"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_410_deactivates_the_subscription_at_once_and_later_activities_are_buffered()
    {
        var subscriptionId = await SubscribeAsync();
        SinkAnswers(410, "gone");
        await SendOrderAsync("E-1", "new");
        await WaitForDeliveriesAsync(subscriptionId, d => All(d, 1, "failed"), "the 410");
        var subscription = await Api.GetSubscriptionAsync(subscriptionId);
        Assert.False(subscription.GetProperty("active").GetBoolean());
        Assert.Contains("410", subscription.GetProperty("deactivationReason").GetString(), StringComparison.Ordinal);
        Assert.Single(Sink.Requests);

        await SendOrderAsync("E-2", "new");
        await WaitForDeliveriesAsync(subscriptionId, d => d.Count == 2 && Status(d[0]) == "buffered", "the next activity to be buffered");
        Assert.Equal(1, (await Api.GetSubscriptionAsync(subscriptionId)).GetProperty("bufferedEvents").GetInt32());
        Assert.Single(Sink.Requests);
    }

    [Fact]
    public async Task The_same_batch_job_run_twice_at_once_sends_each_delivery_once()
    {
        var subscriptionId = await SubscribeAsync();
        Sink.Respond = async (_, context) => { await Task.Delay(200); await context.Response.WriteAsync("ok"); };
        await SendOrderAsync("G-1", "new");
        await WaitForDeliveriesAsync(subscriptionId, d => All(d, 1, "delivered"), "the first delivery");

        // Pending deliveries that no job holds yet, then the same batch job on two workers at once, as a job storage
        // that hands one job out twice would run it. Each run has slots of its own (as on two instances), so both load
        // the same due deliveries and only the leases stand between them.
        var ids = await PendingCopiesAsync(subscriptionId, 6, "msg_lease_test_");
        await Task.WhenAll(Job(new DeliverySlots()).RunAsync(ids, CancellationToken.None), Job(new DeliverySlots()).RunAsync(ids, CancellationToken.None));
        await WaitForDeliveriesAsync(subscriptionId, d => All(d, 7, "delivered"), "the copies to be delivered");
        for (var i = 0; i < 6; i++)
            Assert.Single(Sink.Requests, r => r.Header("webhook-id") == $"msg_lease_test_{i}");
        await using var read = await Factory.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContextAsync();
        Assert.All(await read.Deliveries.Where(d => ids.Contains(d.Id)).ToListAsync(), d => Assert.Equal(1, d.AttemptCount));
    }

    [Fact]
    public async Task No_more_than_the_concurrency_limit_is_in_flight_per_subscription()
    {
        var subscriptionId = await SubscribeAsync();
        var inFlight = 0;
        var most = 0;
        Sink.Respond = async (_, context) =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref most, now);
            await Task.Delay(300);
            Interlocked.Decrement(ref inFlight);
            await context.Response.WriteAsync("ok");
        };
        for (var i = 0; i < 8; i++)
            await SendOrderAsync($"H-{i}", "new");
        await WaitForDeliveriesAsync(subscriptionId, d => All(d, 8, "delivered"), "all eight", 30);
        Assert.InRange(most, 1, 2);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }
}
