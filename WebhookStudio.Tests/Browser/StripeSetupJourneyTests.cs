using System.Text;
using Microsoft.Playwright;

namespace WebhookStudio.Tests.Browser;

/// <summary>
/// The whole setup of a source as a new user walks it, from the catalog to a live stream: no JSONPath typed,
/// everything picked by clicking. Screenshots of every step land in artifacts/screenshots (50-…).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class StripeSetupJourneyTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    [Fact]
    public async Task A_new_user_connects_stripe_maps_the_invoice_filters_paid_events_and_goes_live()
    {
        // 1. Add Stripe from the catalog.
        var (page, _) = await OpenAddSourceDialogAsEditorAsync();
        await page.GetByLabel("Search applications").FillAsync("stri");
        await page.GetByRole(AriaRole.Button, new() { Name = "Stripe" }).ClickAsync();
        await page.GetByLabel("Display name").FillAsync("Stripe invoices");
        await Shot(page, "50-journey-catalog");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();

        // 2. Copy the URL; the "application" (this test) posts its first event to it.
        var urlBox = page.Locator("[data-testid=receiver-url]");
        await Assertions.Expect(urlBox).ToContainTextAsync("/hooks/");
        await urlBox.GetByRole(AriaRole.Button).ClickAsync();
        var receiverUrl = (await urlBox.Locator("code").TextContentAsync())!.Trim();
        await Shot(page, "51-journey-connect");
        using var stripe = new HttpClient();
        var paid = SamplePayloads.Read("stripe-invoice-paid.json");
        (await stripe.PostAsync(receiverUrl, Json(paid))).EnsureSuccessStatusCode();

        // It shows up without a reload.
        await Assertions.Expect(page.Locator("[data-testid=arrived]")).ToContainTextAsync("arrived");
        await Shot(page, "52-journey-arrived");
        await page.GetByRole(AriaRole.Button, new() { Name = "I did it" }).ClickAsync();

        // 3. Map: entity, id and title picked in the tree.
        var tree = page.Locator("[data-testid=json-tree]");
        await Assertions.Expect(tree).ToBeVisibleAsync();
        await Node(page, "$.data.object").ClickAsync();
        await tree.GetByRole(AriaRole.Button, new() { Name = "Use as entity" }).ClickAsync();
        await Node(page, "$.data.object.id").ClickAsync();
        await tree.GetByRole(AriaRole.Button, new() { Name = "Use as unique id" }).ClickAsync();
        await Node(page, "$.data.object.customer_name").ClickAsync();
        await tree.GetByRole(AriaRole.Button, new() { Name = "Use as title" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("entity-path")).ToHaveValueAsync("$.data.object");
        await Assertions.Expect(page.GetByTestId("id-path")).ToHaveValueAsync("$.id");
        await Assertions.Expect(page.Locator("[data-testid=entities-table]")).ToContainTextAsync("Jenny Rosen");
        await Shot(page, "53-journey-mapped");
        await page.GetByTestId("next").ClickAsync();

        // 4. Filter: type equals invoice.paid, with the backtest over what arrived so far.
        await page.GetByText("Filter payloads").ClickAsync();
        var builder = page.Locator("[data-testid=condition-builder]");
        await Assertions.Expect(builder.Locator("[data-testid=condition-path]")).ToHaveValueAsync("$.type");
        await builder.Locator("[data-testid=condition-value-input]").FillAsync("invoice.paid");
        await builder.Locator("[data-testid=condition-value-input]").PressAsync("Tab");
        await Assertions.Expect(page.GetByText("Would process 1 of the last 1")).ToBeVisibleAsync();
        await Shot(page, "54-journey-filter");
        await page.GetByTestId("next").ClickAsync();

        // 5. Save, go live, and process the event that already arrived.
        var goLive = page.Locator("[data-testid=golive-section]");
        await goLive.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("saved")).ToBeVisibleAsync();
        await page.GetByLabel("Enable live stream").CheckAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Process them" }).ClickAsync();
        await Assertions.Expect(goLive).ToContainTextAsync("On: new payloads become items as they arrive.");
        await Shot(page, "55-journey-live");
        await page.GetByTestId("finish").ClickAsync();

        // 6. A second paid event for the same invoice updates the item; a non-matching event is filtered.
        var payloads = page.Locator("[data-testid=payloads-table]");
        await Assertions.Expect(payloads).ToContainTextAsync("1 created");
        (await stripe.PostAsync(receiverUrl, Json(paid.Replace("\"amount_paid\": 4900", "\"amount_paid\": 5900", StringComparison.Ordinal)))).EnsureSuccessStatusCode();
        (await stripe.PostAsync(receiverUrl, Json(paid.Replace("\"type\": \"invoice.paid\"", "\"type\": \"invoice.created\"", StringComparison.Ordinal)))).EnsureSuccessStatusCode();
        await Assertions.Expect(payloads).ToContainTextAsync("1 updated");
        await Assertions.Expect(payloads).ToContainTextAsync("filtered");
        await Assertions.Expect(payloads.Locator("tr", new() { HasText = "filtered" })).ToContainTextAsync("invoice.paid");
        await Shot(page, "56-journey-payloads");

        await page.GetByRole(AriaRole.Tab, new() { Name = "Activity" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=activity-table]")).ToContainTextAsync("5900");
        await Shot(page, "57-journey-activity");
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static ILocator Node(IPage page, string path) => page.Locator($"[data-path='{path}'] .jt-key");

    private static async Task Shot(IPage page, string name)
    {
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await BrowserFixture.ScreenshotAsync(page, name);
    }
}
