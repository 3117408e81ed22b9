using Microsoft.Playwright;
using WebhookStudio.Tests.Infrastructure;

namespace WebhookStudio.Tests.Browser;

/// <summary>The request tester as a Tester uses it, and the dashboard with a few payloads in.</summary>
[Collection(BrowserCollection.Name)]
public sealed class TesterFlowTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    private static async Task PickAsync(IPage page, string selectLabel, string option)
    {
        await page.Locator("div.mud-select").Filter(new() { HasText = selectLabel }).First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = option }).First.ClickAsync();
    }

    [Fact]
    public async Task A_tester_sends_a_sample_to_a_sources_receiver_then_resends_it_from_history()
    {
        var baseAddress = Studio.Start();
        var api = await ApiTestClient.ForRoleAsync(Studio, "Admin");
        var stripe = await api.SetUpSourceAsync("Stripe invoices", "stripe", new { entityPath = "$.data.object", idPath = "id", titlePath = "customer_email", liveStream = true });
        await api.SetUpSourceAsync("HubSpot contacts", "hubspot");
        await Studio.CreateUserAsync("tester@example.com", "tester-pass-1", "Tester");
        var page = await Browser.NewPageAsync(baseAddress);
        await BrowserFixture.SignInAsync(page, "tester@example.com", "tester-pass-1");

        await page.GotoAsync("/tester");
        await BrowserFixture.WaitForInteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=history]")).ToHaveCountAsync(0);
        await PickAsync(page, "A source's receiver, with a sample", "Stripe invoices");
        await page.Locator("[data-testid=fill-source]").ClickAsync();

        var url = page.Locator("input[data-testid=url]");
        await Assertions.Expect(url).ToHaveValueAsync($"{baseAddress}hooks/{stripe.Token}");
        await Assertions.Expect(page.Locator("[data-testid=prefill-note]")).ToContainTextAsync("sample payload");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Body" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=request-body]")).ToContainTextAsync("invoice.paid");
        await page.Locator("[data-testid=send]").ClickAsync();

        var status = page.Locator("[data-testid=response-status]");
        await Assertions.Expect(status).ToContainTextAsync("202 Accepted");
        await Assertions.Expect(page.Locator("[data-testid=response-body]")).ToContainTextAsync("payloadId");
        var rows = page.Locator("[data-testid=history-row]");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows.First).ToContainTextAsync("202");
        await BrowserFixture.ScreenshotAsync(page, "90-tester-sent");

        await rows.First.Locator("[data-testid=resend]").ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await Assertions.Expect(status).ToContainTextAsync("202 Accepted");
        var payloads = await api.SettledPayloadsAsync(stripe.Id);
        Assert.Equal(2, payloads.Count);
        // The status reads "202 Accepted" from the first send too: wait for the second answer's own payload id.
        await Assertions.Expect(page.Locator("[data-testid=response-body]")).ToContainTextAsync(payloads[0]!["id"]!.ToString());
        await BrowserFixture.ScreenshotAsync(page, "91-tester-resent");

        // A few more payloads (one failing its mapping) and the dashboard shows them.
        foreach (var i in Enumerable.Range(1, 4))
            await api.PostHookAsync(stripe.Token, SamplePayloads.Read("stripe-invoice-paid.json").Replace("in_1QxY2yAbCdEfGhIj", $"in_test_{i}", StringComparison.Ordinal));
        await api.PostHookAsync(stripe.Token, "{\"type\":\"invoice.paid\",\"data\":{\"object\":{\"amount\":1}}}");
        await api.SettledPayloadsAsync(stripe.Id);
        await page.GotoAsync("/");
        await BrowserFixture.WaitForInteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=stat-payloads]")).ToContainTextAsync("7");
        await Assertions.Expect(page.Locator("[data-testid=awaiting-sources]")).ToContainTextAsync("HubSpot contacts");
        await Assertions.Expect(page.Locator("[data-testid=recent-failures]")).ToContainTextAsync("Stripe invoices");
        await BrowserFixture.ScreenshotAsync(page, "92-dashboard-with-data");

        // Live: one more payload and the count moves without a reload.
        await api.PostHookAsync(stripe.Token, SamplePayloads.Read("stripe-invoice-paid.json"));
        await Assertions.Expect(page.Locator("[data-testid=stat-payloads]")).ToContainTextAsync("8");
    }

    [Fact]
    public async Task A_fresh_install_shows_the_first_steps()
    {
        var baseAddress = Studio.Start();
        await Studio.CreateUserAsync("admin@example.com", "admin-pass-1", "Admin");
        var page = await Browser.NewPageAsync(baseAddress);
        await BrowserFixture.SignInAsync(page, "admin@example.com", "admin-pass-1");
        await page.GotoAsync("/");
        await BrowserFixture.WaitForInteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=dashboard-empty]")).ToContainTextAsync("Add a source");
        await BrowserFixture.ScreenshotAsync(page, "93-dashboard-empty");
        await page.GotoAsync("/tester");
        await BrowserFixture.WaitForInteractiveAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "94-tester-empty");
    }
}
