using Microsoft.AspNetCore.Http;
using System.Net.Http.Json;
using System.Text.Json;
using WebhookStudio.Tests.Infrastructure;
using WebhookStudio.Tests.Subscriptions;
using static WebhookStudio.Tests.Infrastructure.ApiTestClient;

namespace WebhookStudio.Tests.Deliveries;

/// <summary>Tests sent with the Test button are in the delivery log, told apart and filtered, and record what their attempt met.</summary>
public sealed class TestDeliveryTests(SharedStudio shared) : OutboundTestBase(shared)
{
    [Fact]
    public async Task A_failed_test_is_listed_as_a_test_with_the_status_and_failure_of_its_attempt()
    {
        var (sourceId, itemId) = await StripeItemAsync();
        Sink.Respond = (_, context) => { context.Response.StatusCode = 418; return context.Response.WriteAsync("I'm a teapot"); };
        var subscription = Id(await Api.CreateSubscriptionAsync(new { app = "crm", @event = "item.updated", sourceId, url = Sink.Url(), name = "Teapot" }));

        var test = await Api.TestSubscriptionAsync(subscription, new { itemId });
        var deliveryId = test.GetProperty("deliveryId").GetInt64();

        var contract = await OpenApiContract.LoadAsync(Api.Http);
        var detail = await contract.AssertMatchesAsync(await Api.Http.GetAsync($"{V1}/deliveries/{deliveryId}"));
        var delivery = detail.GetProperty("delivery");
        var attempt = Assert.Single(detail.GetProperty("attempts").EnumerateArray());
        Assert.Equal(418, attempt.GetProperty("responseStatus").GetInt32());
        Assert.Equal("client_error", attempt.GetProperty("failure").GetString());
        Assert.Equal(418, delivery.GetProperty("lastStatusCode").GetInt32());
        Assert.Equal("client_error", delivery.GetProperty("lastFailure").GetString());
        Assert.Equal("failed", delivery.GetProperty("status").GetString());
        Assert.True(delivery.GetProperty("isTest").GetBoolean());

        // Listed with everything else by default; test=true keeps only tests, test=false only deliveries of activities.
        async Task<long[]> ListedAsync(string query) =>
            (await contract.AssertMatchesAsync(await Api.Http.GetAsync($"{V1}/deliveries?subscriptionId={subscription}{query}")))
                .GetProperty("items").EnumerateArray().Select(d => d.GetProperty("id").GetInt64()).ToArray();
        Assert.Contains(deliveryId, await ListedAsync(""));
        Assert.Equal([deliveryId], await ListedAsync("&test=true"));
        Assert.DoesNotContain(deliveryId, await ListedAsync("&test=false"));
        Assert.Equal([deliveryId], await ListedAsync("&httpStatus=418"));
        var counts = await Api.Http.GetFromJsonAsync<JsonElement>($"{V1}/deliveries/counts?subscriptionId={subscription}&test=true");
        Assert.Equal(1, counts.GetProperty("failed").GetInt32());
    }
}
