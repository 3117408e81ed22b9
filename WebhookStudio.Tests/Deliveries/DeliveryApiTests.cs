using System.Net;
using System.Text.Json.Nodes;
using WebhookStudio.Tests.Infrastructure;
using static WebhookStudio.Tests.Infrastructure.ApiTestClient;

namespace WebhookStudio.Tests.Deliveries;

/// <summary>/api/v1/deliveries and notifications: filters, detail, retry, replay, bulk replay, roles and bad input.</summary>
public sealed class DeliveryApiTests(SharedStudio shared) : DeliveryTestBase(shared)
{
    [Fact]
    public async Task Retry_now_sends_a_failed_delivery_again_with_the_same_webhook_id_and_replay_makes_a_new_one()
    {
        var subscriptionId = await SubscribeAsync(new { maxAttempts = 1 });
        SinkAnswers(500, "boom");
        await SendOrderAsync("P-1", "new");
        var failed = (await WaitForDeliveriesAsync(subscriptionId, d => All(d, 1, "failed"), "the failure"))[0]!;
        var id = (long)failed["id"]!;
        var webhookId = (string)failed["webhookId"]!;
        Assert.Single(await DeliveriesAsync($"subscriptionId={subscriptionId}&status=failed&httpStatus=500"));
        Assert.Empty(await DeliveriesAsync($"subscriptionId={subscriptionId}&status=delivered"));

        SinkAnswers(200, "ok");
        var retried = await ExpectAsync(await PostAsync($"/deliveries/{id}/retry"), HttpStatusCode.Accepted);
        Assert.Equal("pending", retried.GetProperty("status").GetString());
        await WaitForDeliveriesAsync(subscriptionId, d => All(d, 1, "delivered"), "the retry");
        Assert.All(Sink.Requests, r => Assert.Equal(webhookId, r.Header("webhook-id")));
        Assert.Equal(2, ((JsonArray)(await DeliveryAsync(id))["attempts"]!).Count);

        await ExpectProblemAsync(await PostAsync($"/deliveries/{id}/retry"), HttpStatusCode.Conflict);

        var replay = await ExpectAsync(await PostAsync($"/deliveries/{id}/replay"), HttpStatusCode.Created);
        Assert.Equal(webhookId, replay.GetProperty("webhookId").GetString());
        Assert.Equal(id, replay.GetProperty("replayOfId").GetInt64());
        var fresh = await ExpectAsync(await PostAsync($"/deliveries/{id}/replay?newWebhookId=true"), HttpStatusCode.Created);
        Assert.NotEqual(webhookId, fresh.GetProperty("webhookId").GetString());
        await WaitForDeliveriesAsync(subscriptionId, d => All(d, 3, "delivered"), "both replays");
        Assert.Equal(4, Sink.Requests.Count);

        var counts = await Api.GetJsonAsync($"{V1}/deliveries/counts?subscriptionId={subscriptionId}");
        Assert.Equal(3, (int)counts["delivered"]!);
        Assert.Equal(0, (int)counts["failed"]!);
        var item = await Api.FindItemAsync(Orders.Id, "P-1");
        Assert.Equal(3, (await DeliveriesAsync($"itemId={item.GetProperty("id").GetInt64()}")).Count);
        var health = await Api.GetJsonAsync($"{V1}/subscriptions/{subscriptionId}/delivery-health");
        Assert.Equal(0.75, (double)health["successRate"]!, 3);
        Assert.Equal(4, ((JsonArray)health["recent"]!).Count);
    }

    [Fact]
    public async Task Replay_failed_since_sends_every_failed_delivery_of_the_subscription_again()
    {
        var subscriptionId = await SubscribeAsync(new { maxAttempts = 1 });
        SinkAnswers(502, "bad gateway");
        await SendOrderAsync("Q-1", "new");
        await SendOrderAsync("Q-2", "new");
        await WaitForDeliveriesAsync(subscriptionId, d => All(d, 2, "failed"), "two failures");
        SinkAnswers(200, "ok");
        var since = Uri.EscapeDataString(DateTime.UtcNow.AddHours(-1).ToString("O"));
        var answer = await ExpectAsync(await PostAsync($"/subscriptions/{subscriptionId}/replay-failed?since={since}"), HttpStatusCode.OK);
        Assert.Equal(2, answer.GetProperty("count").GetInt32());
        await WaitForDeliveriesAsync(subscriptionId, d => All(d, 2, "delivered"), "both delivered");
    }

    [Fact]
    public async Task Payload_received_is_sent_for_every_settled_payload_even_a_filtered_one()
    {
        await Api.PatchSourceAsync(Orders.Id, new { filter = new { all = new[] { new { path = "$.status", op = "equals", value = "new" } } } });
        var subscriptionId = await SubscribeAsync(new { events = new[] { "payload.received" } });
        await SendOrderAsync("R-1", "new");
        await SendOrderAsync("R-2", "cancelled");
        var deliveries = await WaitForDeliveriesAsync(subscriptionId, d => All(d, 2, "delivered"), "two payload deliveries");
        Assert.All(deliveries, d => Assert.Equal("payload.received", (string)d!["event"]!));
        var bodies = Sink.Requests.Select(r => JsonNode.Parse(r.BodyText)!).ToList();
        Assert.Contains(bodies, b => (string)b["payload"]!["data"]!["status"]! == "cancelled");
        Assert.All(bodies, b => Assert.Null(b["item"]));
    }

    [Fact]
    public async Task Reads_need_any_role_actions_an_editor_and_everything_a_key()
    {
        var subscriptionId = await SubscribeAsync(new { maxAttempts = 1 });
        SinkAnswers(500);
        await SendOrderAsync("S-1", "new");
        var id = (long)(await WaitForDeliveriesAsync(subscriptionId, d => All(d, 1, "failed"), "the failure"))[0]!["id"]!;

        var tester = await ForRoleAsync(Factory, "Tester");
        await ExpectAsync(await tester.Http.GetAsync($"{V1}/deliveries?subscriptionId={subscriptionId}"), HttpStatusCode.OK);
        await ExpectAsync(await tester.Http.GetAsync($"{V1}/deliveries/{id}"), HttpStatusCode.OK);
        await ExpectAsync(await tester.Http.GetAsync($"{V1}/notifications"), HttpStatusCode.OK);
        foreach (var path in new[] { $"/deliveries/{id}/retry", $"/deliveries/{id}/replay", $"/subscriptions/{subscriptionId}/replay-failed",
                                     $"/subscriptions/{subscriptionId}/activate", $"/subscriptions/{subscriptionId}/deactivate" })
            await ExpectProblemAsync(await tester.Http.PostAsync($"{V1}{path}", null), HttpStatusCode.Forbidden);
        var anonymous = Anonymous(Factory);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.Http.GetAsync($"{V1}/deliveries")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.Http.PostAsync($"{V1}/deliveries/{id}/retry", null)).StatusCode);

        var editor = await ForRoleAsync(Factory, "Editor");
        await ExpectAsync(await editor.Http.PostAsync($"{V1}/deliveries/{id}/retry", null), HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task Bad_input_and_unknown_ids_get_clear_problems()
    {
        await ExpectValidationErrorAsync(await Api.Http.GetAsync($"{V1}/deliveries?status=lost"), "status");
        await ExpectValidationErrorAsync(await Api.Http.GetAsync($"{V1}/deliveries?event=item.moved"), "event");
        await ExpectValidationErrorAsync(await Api.Http.GetAsync($"{V1}/deliveries?httpStatus=42"), "httpStatus");
        await ExpectValidationErrorAsync(await Api.Http.GetAsync($"{V1}/deliveries?pageSize=0"), "pageSize");
        await ExpectProblemAsync(await Api.Http.GetAsync($"{V1}/deliveries/999"), HttpStatusCode.NotFound);
        await ExpectProblemAsync(await PostAsync("/deliveries/999/retry"), HttpStatusCode.NotFound);
        await ExpectProblemAsync(await PostAsync("/deliveries/999/replay"), HttpStatusCode.NotFound);
        await ExpectProblemAsync(await PostAsync("/subscriptions/999/activate"), HttpStatusCode.NotFound);
        await ExpectProblemAsync(await PostAsync("/notifications/999/read"), HttpStatusCode.NotFound);
        var subscriptionId = await SubscribeAsync();
        await ExpectValidationErrorAsync(await PostAsync($"/subscriptions/{subscriptionId}/activate?replayEvents=true&mode=some"), "mode");
    }
}
