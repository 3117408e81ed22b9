using Microsoft.Playwright;
using WebhookStudio.Tests.Infrastructure;

namespace WebhookStudio.Tests.Browser;

/// <summary>
/// A bin stands in for the receiving application: a subscription points at it, an item change made through the
/// receiver (from the request tester) arrives in the bin's page live, and re-sending from the tester's history
/// sends the next one. No outside service involved.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BinSubscriptionJourneyTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    [Fact]
    public async Task A_subscription_pointed_at_a_bin_shows_what_it_sends_live_and_the_tester_resends_the_trigger()
    {
        var baseAddress = Studio.Start();
        var api = await ApiTestClient.ForRoleAsync(Studio, "Admin");
        var stripe = await api.SetUpSourceAsync("Stripe invoices", "stripe",
            new { entityPath = "$.data.object", idPath = "id", titlePath = "customer_name", liveStream = true });
        await Studio.CreateUserAsync("editor@example.com", "editor-pass-1", "Editor");
        var binPage = await Browser.NewPageAsync(baseAddress);
        await BrowserFixture.SignInAsync(binPage, "editor@example.com", "editor-pass-1");

        // The bin, made in the UI.
        await binPage.GotoAsync("/bins");
        await BrowserFixture.WaitForInteractiveAsync(binPage);
        await binPage.ClickAsync("[data-testid=new-bin]");
        await binPage.GetByLabel("Name").FillAsync("CRM stand-in");
        await binPage.GetByRole(AriaRole.Button, new() { Name = "Create bin" }).ClickAsync();
        var requests = binPage.Locator("[data-testid=bin-requests]");
        await Assertions.Expect(requests).ToContainTextAsync("Waiting for the first request");
        var binUrl = (await binPage.Locator("[data-testid=bin-url] code").TextContentAsync())!.Trim();

        // The subscription sends the invoice when it is created, and every payload as it arrives.
        await api.CreateSubscriptionAsync(new { app = "crm", events = new[] { "item.created", "payload.received" }, url = binUrl, sourceId = stripe.Id });

        // The change goes through the receiver, sent from the request tester (in a second tab).
        var tester = await binPage.Context.NewPageAsync();
        await tester.GotoAsync("/tester");
        await BrowserFixture.WaitForInteractiveAsync(tester);
        await tester.Locator("div.mud-select").Filter(new() { HasText = "A source's receiver, with a sample" }).First.ClickAsync();
        await tester.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "Stripe invoices" }).First.ClickAsync();
        await tester.Locator("[data-testid=fill-source]").ClickAsync();
        await tester.Locator("[data-testid=send]").ClickAsync();
        await Assertions.Expect(tester.Locator("[data-testid=response-status]")).ToContainTextAsync("202");

        // Both deliveries arrive in the bin while its page is open: the item and the payload, signed.
        var arrived = requests.Locator("[data-testid=bin-request]");
        await Assertions.Expect(arrived).ToHaveCountAsync(2);
        await arrived.Filter(new() { HasText = "POST" }).Last.ClickAsync();
        await Assertions.Expect(binPage.Locator("[data-testid=bin-request-headers]")).ToContainTextAsync("webhook-signature");
        await Assertions.Expect(binPage.Locator("[data-testid=bin-request-body] .view-lines")).ToContainTextAsync("in_1QxY2yAbCdEfGhIj");
        await BrowserFixture.ScreenshotAsync(binPage, "70-bin-receives-deliveries");

        // Re-sent from the tester's history: one more payload, one more delivery in the bin.
        await tester.Locator("[data-testid=history-row]").First.Locator("[data-testid=resend]").ClickAsync();
        await Assertions.Expect(tester.Locator("[data-testid=history-row]")).ToHaveCountAsync(2);
        await Assertions.Expect(arrived).ToHaveCountAsync(3);
        await BrowserFixture.ScreenshotAsync(binPage, "71-bin-after-resend");

        // The dashboard with data: payloads in, deliveries out.
        await binPage.GotoAsync("/");
        await BrowserFixture.WaitForInteractiveAsync(binPage);
        await Assertions.Expect(binPage.Locator("[data-testid=stat-delivered]")).ToContainTextAsync("3");
        await BrowserFixture.ScreenshotAsync(binPage, "72-dashboard-with-deliveries");
    }
}
