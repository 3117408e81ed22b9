using Bunit;
using Microsoft.AspNetCore.Http;
using WebhookStudio.Features.Account;
using WebhookStudio.Features.Items;
using WebhookStudio.Tests.Infrastructure;
using static WebhookStudio.Tests.Infrastructure.ApiTestClient;

namespace WebhookStudio.Tests.Components.Journey;

/// <summary>An item's history and the activity list link a change written by a subscription's answer to its cause.</summary>
public sealed class ChangeCauseTests(SharedStudio shared) : JourneyComponentTestBase(shared, StudioRoles.Editor)
{
    [Fact]
    public async Task A_change_from_a_test_answer_links_the_test_delivery_and_the_subscription_and_names_who_sent_it()
    {
        await using var sink = await LocalSink.StartAsync();
        sink.Respond = (_, context) => context.Response.WriteAsJsonAsync(new { promocode = "ABC" });
        var source = await Api.CreateLiveSourceAsync("$", "id", "name", "Shop orders");
        await Api.SendAndWaitAsync(source, """{"id": "1007", "name": "Order #1007"}""");
        var itemId = (await Api.FindItemAsync(Id(source), "1007")).GetProperty("id").GetInt64();
        var subscription = Id(await Api.CreateSubscriptionAsync(new
        {
            app = "crm", @event = "item.updated", sourceId = Id(source), url = sink.Url(), name = "Promo codes",
            responseMapping = new[] { new { path = "$.promocode", field = "promo_code" } },
        }));
        var deliveryId = (await Api.TestSubscriptionAsync(subscription, new { itemId, applyMapping = true })).GetProperty("deliveryId").GetInt64();

        var page = Render<ItemPage>(p => p.Add(i => i.Id, itemId));
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=item-history] [data-testid=change-cause]").Count));
        var cause = page.FindAll("[data-testid=item-history] [data-testid=change-cause]")[0];
        Assert.Equal($"the answer to test delivery #{deliveryId} of Promo codes, sent by test admin", Normalize(cause.TextContent));
        var links = cause.QuerySelectorAll("a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal([$"deliveries/{deliveryId}", $"subscriptions/{subscription}"], links);
        Assert.Contains("promo_code", page.Find("[data-testid=item-history]").TextContent, StringComparison.Ordinal);

        var activity = Render<ActivityList>(p => p.Add(a => a.SourceId, Id(source)));
        activity.WaitForAssertion(() => Assert.Equal(
            $"the answer to test delivery #{deliveryId} of Promo codes, sent by test admin",
            Normalize(activity.FindAll("[data-testid=change-cause]")[0].TextContent)));
    }

    private static string Normalize(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).Replace(" ,", ",", StringComparison.Ordinal);
}
