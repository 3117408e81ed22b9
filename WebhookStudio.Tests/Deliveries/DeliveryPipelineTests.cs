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

/// <summary>The delivery pipeline end to end: fan-out from the pipeline, the job, retries, failures in words, 410, leases, ordering, concurrency.</summary>
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

    [Fact]
    public async Task Failed_attempts_are_retried_on_the_schedule_with_the_same_webhook_id_until_delivered()
    {
        var subscriptionId = await SubscribeAsync();
        var calls = 0;
        Sink.Respond = async (_, context) =>
        {
            context.Response.StatusCode = Interlocked.Increment(ref calls) <= 2 ? 500 : 200;
            await context.Response.WriteAsync(calls <= 2 ? "{\"message\":\"database down\"}" : "ok");
        };
        await SendOrderAsync("B-1", "new");
        var delivery = (await WaitForDeliveriesAsync(subscriptionId, d => All(d, 1, "delivered"), "delivery after two failures"))[0]!;
        Assert.Equal(3, (int)delivery["attemptCount"]!);
        Assert.Single(Sink.Requests.Select(r => r.Header("webhook-id")).Distinct());

        var attempts = (JsonArray)(await DeliveryAsync((long)delivery["id"]!))["attempts"]!;
        Assert.Equal([500, 500, 200], attempts.Select(a => (int)a!["responseStatus"]!));
        Assert.Equal("server_error", (string)attempts[0]!["failure"]!);
        Assert.Equal("The receiver had an error, 500 Internal Server Error: \"database down\"", (string)attempts[0]!["error"]!);
        var times = attempts.Select(a => (DateTime)a!["at"]!).ToList();
        Assert.InRange((times[1] - times[0]).TotalSeconds, 0.15, 10);
    }

    [Fact]
    public async Task After_max_attempts_the_delivery_is_failed_with_the_last_error_in_plain_words()
    {
        var subscriptionId = await SubscribeAsync(new { maxAttempts = 2 });
        SinkAnswers(422, "{\"error\":\"email is missing\"}");
        await SendOrderAsync("C-1", "new");
        var delivery = (await WaitForDeliveriesAsync(subscriptionId, d => All(d, 1, "failed"), "the delivery to fail"))[0]!;
        Assert.Equal(2, (int)delivery["attemptCount"]!);
        Assert.Null(delivery["nextAttemptAt"]);
        Assert.Equal(422, (int)delivery["lastStatusCode"]!);
        Assert.Equal("client_error", (string)delivery["lastFailure"]!);
        Assert.Contains("refused the request with 422", (string)delivery["lastError"]!, StringComparison.Ordinal);
        Assert.Contains("email is missing", (string)delivery["lastError"]!, StringComparison.Ordinal);
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
    public async Task Retry_After_of_a_503_sets_the_next_attempt_within_the_schedule()
    {
        var subscriptionId = await SubscribeAsync(new { maxAttempts = 2 });
        SinkAnswers(503, "busy", ("Retry-After", "1"));
        await SendOrderAsync("F-1", "new");
        var delivery = (await WaitForDeliveriesAsync(subscriptionId, d => d.Count == 1 && (int)d[0]!["attemptCount"]! == 1, "the first attempt"))[0]!;
        var detail = await DeliveryAsync((long)delivery["id"]!);
        var first = (DateTime)detail["attempts"]![0]!["at"]!;
        var next = (DateTime)detail["delivery"]!["nextAttemptAt"]!;
        // The schedule says 0.2 s; the receiver asked for 1 s, which is within 0.2–1 s.
        Assert.InRange((next - first).TotalSeconds, 0.9, 1.5);
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
    public async Task Preserve_order_holds_back_only_the_failing_items_later_deliveries()
    {
        var subscriptionId = await SubscribeAsync(new { preserveOrder = true });
        var failuresLeft = 2;
        Sink.Respond = async (request, context) =>
        {
            var order = JsonNode.Parse(request.BodyText)!["item"]!["data"]!;
            if ((string)order["id"]! == "X" && Interlocked.Decrement(ref failuresLeft) >= 0)
                context.Response.StatusCode = 500;
            await context.Response.WriteAsync("ok");
        };
        await SendOrderAsync("X", "new");
        await Eventually.Until(() => Task.FromResult(Sink.Requests.Count), n => n >= 1, "the first attempt for X");
        await SendOrderAsync("X", "paid");
        await SendOrderAsync("Y", "new");

        await WaitForDeliveriesAsync(subscriptionId, d => All(d, 3, "delivered"), "every delivery");
        var sent = Sink.Requests.Select(r => JsonNode.Parse(r.BodyText)!).Select(b => ((string)b["item"]!["data"]!["id"]!, (string)b["item"]!["data"]!["status"]!, (string)b["event"]!)).ToList();
        var forX = sent.Where(s => s.Item1 == "X").Select(s => s.Item3).ToList();
        Assert.Equal(["item.created", "item.created", "item.created", "item.updated"], forX);
        // Y did not wait for X's retries.
        Assert.True(sent.FindIndex(s => s.Item1 == "Y") < sent.FindLastIndex(s => s.Item1 == "X" && s.Item3 == "item.created"));
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
