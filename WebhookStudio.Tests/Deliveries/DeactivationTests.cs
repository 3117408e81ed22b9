using System.Net;
using System.Text.Json.Nodes;
using WebhookStudio.Tests.Infrastructure;
using static WebhookStudio.Tests.Infrastructure.ApiTestClient;

namespace WebhookStudio.Tests.Deliveries;

/// <summary>Three failures in a row deactivate; then activities are buffered; reactivation replays all, the latest state per item, or nothing.</summary>
public sealed class DeactivationTests(SharedStudio shared) : DeliveryTestBase(shared, f => f.With("Deliveries:DeactivateAfterFailures", "3"))
{
    /// <summary>A subscription deactivated by three failing orders, then two updates of order 1 and a new order 4 buffered.</summary>
    private async Task<int> DeactivatedWithBufferAsync()
    {
        var subscriptionId = await SubscribeAsync(new { maxAttempts = 1 });
        SinkAnswers(500, "{\"message\":\"maintenance\"}");
        for (var i = 1; i <= 3; i++)
            await SendOrderAsync($"{i}", "new");
        await WaitForDeliveriesAsync(subscriptionId, d => All(d, 3, "failed"), "three failures");
        var subscription = await Eventually.Until(() => Api.GetSubscriptionAsync(subscriptionId), s => !s.GetProperty("active").GetBoolean(), "the deactivation");
        Assert.Equal("3 attempts in a row failed.", subscription.GetProperty("deactivationReason").GetString());
        Assert.NotEqual(default, subscription.GetProperty("deactivatedAt").GetDateTime());

        var notification = Assert.Single((JsonArray)(await Api.GetJsonAsync($"{V1}/notifications?unread=true"))["items"]!)!;
        var message = (string)notification["message"]!;
        Assert.StartsWith("Deliveries to 127.0.0.1 failed since ", message, StringComparison.Ordinal);
        Assert.Contains("The receiver had an error, 500 Internal Server Error: \"maintenance\"", message, StringComparison.Ordinal);
        Assert.Equal($"/deliveries?subscriptionId={subscriptionId}", (string)notification["link"]!);

        SinkAnswers(200, "ok");
        await SendOrderAsync("1", "paid");
        await SendOrderAsync("1", "shipped");
        await SendOrderAsync("4", "new");
        await WaitForDeliveriesAsync(subscriptionId, d => d.Count(x => Status(x) == "buffered") == 3, "three buffered activities");
        Assert.Equal(3, (await Api.GetSubscriptionAsync(subscriptionId)).GetProperty("bufferedEvents").GetInt32());
        Assert.Equal(3, Sink.Requests.Count);
        return subscriptionId;
    }

    [Fact]
    public async Task Reactivating_with_replay_sends_every_buffered_activity_in_order()
    {
        var subscriptionId = await DeactivatedWithBufferAsync();
        var activated = await ExpectAsync(await PostAsync($"/subscriptions/{subscriptionId}/activate?replayEvents=true"), HttpStatusCode.OK);
        Assert.Equal(3, activated.GetProperty("replayed").GetInt32());
        Assert.True(activated.GetProperty("subscription").GetProperty("active").GetBoolean());
        await WaitForDeliveriesAsync(subscriptionId, d => d.Count(x => Status(x) == "delivered") == 3, "the replay");
        var replayed = Sink.Requests.Skip(3).Select(r => JsonNode.Parse(r.BodyText)!["item"]!["data"]!).Select(d => $"{d["id"]}:{d["status"]}").ToList();
        Assert.Equal(3, replayed.Count);
        Assert.Contains("4:new", replayed);
        Assert.Empty((JsonArray)(await Api.GetJsonAsync($"{V1}/notifications?unread=true"))["items"]!);
    }

    [Fact]
    public async Task Reactivating_with_the_latest_state_sends_one_delivery_per_item_with_the_merged_changes()
    {
        var subscriptionId = await DeactivatedWithBufferAsync();
        var activated = await ExpectAsync(await PostAsync($"/subscriptions/{subscriptionId}/activate?replayEvents=true&mode=latest"), HttpStatusCode.OK);
        Assert.Equal(2, activated.GetProperty("replayed").GetInt32());
        await WaitForDeliveriesAsync(subscriptionId, d => d.Count(x => Status(x) == "delivered") == 2, "one delivery per item");
        var bodies = Sink.Requests.Skip(3).Select(r => JsonNode.Parse(r.BodyText)!).ToList();
        Assert.Equal(2, bodies.Count);
        var order1 = bodies.Single(b => (string)b["item"]!["data"]!["id"]! == "1");
        Assert.Equal("shipped", (string)order1["item"]!["data"]!["status"]!);
        var change = Assert.Single((JsonArray)order1["changes"]!)!;
        Assert.Equal(("status", "new", "shipped"), ((string)change["path"]!, (string)change["old"]!, (string)change["new"]!));
        var cancelled = await DeliveriesAsync($"subscriptionId={subscriptionId}&status=cancelled");
        Assert.Equal(3, cancelled.Count);
    }

    [Fact]
    public async Task Reactivating_without_replay_cancels_the_buffer_and_sends_new_activities()
    {
        var subscriptionId = await DeactivatedWithBufferAsync();
        var activated = await ExpectAsync(await PostAsync($"/subscriptions/{subscriptionId}/activate?replayEvents=false"), HttpStatusCode.OK);
        Assert.Equal(0, activated.GetProperty("replayed").GetInt32());
        Assert.Equal(3, activated.GetProperty("cancelled").GetInt32());
        Assert.Equal(0, activated.GetProperty("subscription").GetProperty("bufferedEvents").GetInt32());
        await SendOrderAsync("5", "new");
        await WaitForDeliveriesAsync(subscriptionId, d => d.Count(x => Status(x) == "delivered") == 1, "the new order");
        Assert.Equal(4, Sink.Requests.Count);
        Assert.Equal(3, (await DeliveriesAsync($"subscriptionId={subscriptionId}&status=cancelled")).Count);
    }

    [Fact]
    public async Task Deactivating_by_hand_buffers_later_activities_and_sends_nothing()
    {
        var subscriptionId = await SubscribeAsync();
        var deactivated = await ExpectAsync(await PostJsonAsync($"/subscriptions/{subscriptionId}/deactivate", new { reason = "Receiver moving" }), HttpStatusCode.OK);
        Assert.False(deactivated.GetProperty("active").GetBoolean());
        Assert.Equal("Receiver moving", deactivated.GetProperty("deactivationReason").GetString());
        await SendOrderAsync("9", "new");
        await WaitForDeliveriesAsync(subscriptionId, d => All(d, 1, "buffered"), "the buffered activity");
        Assert.Empty(Sink.Requests);
        Assert.Empty((JsonArray)(await Api.GetJsonAsync($"{V1}/notifications"))["items"]!);
    }
}
