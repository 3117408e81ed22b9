using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using WebhookStudio.Features.Account;
using WebhookStudio.Features.Deliveries;
using WebhookStudio.Tests.Infrastructure;
using static WebhookStudio.Tests.Infrastructure.ApiTestClient;

namespace WebhookStudio.Tests.Components.Journey;

/// <summary>The delivery log as a Tester reads it: tests are there, marked, and can be shown apart.</summary>
public sealed class DeliveriesPageTests(SharedStudio shared) : JourneyComponentTestBase(shared, StudioRoles.Tester)
{
    [Fact]
    public async Task Tests_are_listed_with_a_test_chip_the_sent_by_filter_shows_them_alone_and_items_go_by_their_title()
    {
        await using var sink = await LocalSink.StartAsync();
        var source = await Api.CreateLiveSourceAsync("$", "id", "name", "Shop orders");
        var subscription = Id(await Api.CreateSubscriptionAsync(new { app = "crm", @event = "item.created", sourceId = Id(source), url = sink.Url(), name = "CRM" }));
        await Api.SendAndWaitAsync(source, """{"id": "1007", "name": "Order #1007"}""");
        await Eventually.Until(async () => (await Api.GetJsonAsync($"{V1}/deliveries?test=false"))["total"]!.GetValue<int>(), n => n == 1, "the order's delivery");
        var test = (await Api.TestSubscriptionAsync(subscription)).GetProperty("deliveryId").GetInt64();

        var all = Render<DeliveriesPage>();
        all.WaitForAssertion(() => Assert.Equal(2, all.FindAll("[data-testid=deliveries-grid] tbody tr").Count));
        var chip = Assert.Single(all.FindAll("[data-testid=test-chip]"));
        Assert.Contains($"deliveries/{test}", chip.Closest("tr")!.InnerHtml, StringComparison.Ordinal);
        // Both name the order by its title, not by the studio's row number.
        Assert.All(all.FindAll("[data-testid=delivery-item]"), i => Assert.Equal("· Order #1007", i.TextContent.Trim()));
        Assert.Equal(2, all.FindAll("[data-testid=delivery-item]").Count);
        Assert.DoesNotContain("item #", all.Find("[data-testid=deliveries-grid]").TextContent, StringComparison.OrdinalIgnoreCase);

        var detail = Render<DeliveryPage>(p => p.Add(d => d.Id, test));
        detail.WaitForAssertion(() => Assert.Contains("Order #1007", detail.Find("[data-testid=delivery-item]").TextContent));

        Services.GetRequiredService<NavigationManager>().NavigateTo("deliveries?test=true");
        var tests = Render<DeliveriesPage>();
        tests.WaitForAssertion(() => Assert.Single(tests.FindAll("[data-testid=deliveries-grid] tbody tr")));
        Assert.Single(tests.FindAll("[data-testid=test-chip]"));
    }
}
