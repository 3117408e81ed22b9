using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using WebhookStudio.Tests.Infrastructure;
using static WebhookStudio.Tests.Infrastructure.ApiTestClient;

namespace WebhookStudio.Tests.Subscriptions;

/// <summary>A change written by a response mapping names the subscription and the delivery whose answer it wrote, and for a test who sent it.</summary>
public sealed class ResponseMappingCauseTests(SharedStudio shared) : OutboundTestBase(shared)
{
    private static JsonElement LatestChange(JsonElement item) => item.GetProperty("changes").EnumerateArray().First();

    [Fact]
    public async Task A_delivery_and_a_test_each_leave_their_cause_on_the_change_they_write()
    {
        var source = await Api.CreateLiveSourceAsync("$", "id", "name", "Shop orders");
        Sink.Respond = (_, context) => context.Response.WriteAsJsonAsync(new { promocode = "ABC" });
        var subscription = Id(await Api.CreateSubscriptionAsync(new
        {
            app = "crm", @event = "item.created", sourceId = Id(source), url = Sink.Url(), name = "Promo codes",
            responseMapping = new[] { new { path = "$.promocode", field = "promo_code" } },
        }));

        // A delivery of the order's creation: its answer is written onto the order.
        await Api.SendAndWaitAsync(source, """{"id": "1007", "name": "Order #1007"}""");
        var itemId = (await Api.FindItemAsync(Id(source), "1007")).GetProperty("id").GetInt64();
        var item = await Eventually.Until(() => Api.GetItemAsync(itemId), i => i.GetProperty("version").GetInt32() == 2, "the answer written onto the order");
        var delivery = (await Api.Http.GetFromJsonAsync<JsonElement>($"{V1}/deliveries?subscriptionId={subscription}&test=false")).GetProperty("items")[0];
        var written = LatestChange(item);
        Assert.Equal(subscription, written.GetProperty("subscriptionId").GetInt32());
        Assert.Equal(delivery.GetProperty("id").GetInt64(), written.GetProperty("deliveryId").GetInt64());
        Assert.Equal(JsonValueKind.Null, written.GetProperty("testedBy").ValueKind);
        Assert.Equal($"From the response of subscription #{subscription} (Promo codes) to delivery #{delivery.GetProperty("id").GetInt64()}", written.GetProperty("note").GetString());

        // An Editor's test that writes its answer: the change names the test delivery and the Editor's key.
        Sink.Respond = (_, context) => context.Response.WriteAsJsonAsync(new { promocode = "XYZ" });
        var editor = await ForRoleAsync(Factory, "Editor");
        var test = await editor.TestSubscriptionAsync(subscription, new { itemId, applyMapping = true });
        var tested = LatestChange(await Api.GetItemAsync(itemId));
        Assert.Equal(test.GetProperty("deliveryId").GetInt64(), tested.GetProperty("deliveryId").GetInt64());
        Assert.Equal("test Editor", tested.GetProperty("testedBy").GetString());
        Assert.Contains("sent by test Editor", tested.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, tested.GetProperty("payloadId").ValueKind);
    }
}
