using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace WebhookStudio.Tests.Browser;

/// <summary>Adding a source from the catalog and its connect step, as a new user walks through them.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class SourceConnectFlowTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    [Fact]
    public async Task A_stripe_source_from_the_catalog_waits_for_its_first_payload_and_goes_on_to_mapping()
    {
        var (page, baseAddress) = await OpenAddSourceDialogAsEditorAsync();
        var catalog = page.Locator("[data-testid=app-list]");
        await Assertions.Expect(catalog).ToContainTextAsync("Mailchimp");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "New Custom Source" })).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "30-add-source-catalog");

        await page.GetByLabel("Search applications").FillAsync("stripe");
        await Assertions.Expect(catalog).Not.ToContainTextAsync("Mailchimp");
        await BrowserFixture.ScreenshotAsync(page, "31-add-source-search");
        await page.GetByRole(AriaRole.Button, new() { Name = "Stripe" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Display name")).ToHaveValueAsync("Stripe");
        await BrowserFixture.ScreenshotAsync(page, "32-add-source-name");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();

        var receiverUrl = page.Locator("[data-testid=receiver-url] code");
        await Assertions.Expect(receiverUrl).ToContainTextAsync("/hooks/");
        Assert.StartsWith(baseAddress + "hooks/", await receiverUrl.TextContentAsync(), StringComparison.Ordinal);
        Assert.Matches(SetupUrl(), page.Url);
        await Assertions.Expect(page.Locator("[data-testid=setup-steps]")).ToContainTextAsync("Map the entity");
        await Assertions.Expect(page.Locator("[data-testid=app-docs]")).ToHaveAttributeAsync("href", "https://docs.stripe.com/webhooks");
        await Assertions.Expect(page.Locator("[data-testid=waiting]")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "33-connect-waiting");

        // "I did it" before anything arrived: plain help, and the refused attempt a misconfigured sender made.
        await page.GetByRole(AriaRole.Button, new() { Name = "I did it" }).ClickAsync();
        var help = page.Locator("[data-testid=nothing-arrived]");
        await Assertions.Expect(help).ToContainTextAsync("Nothing has arrived yet");
        await Assertions.Expect(help).ToContainTextAsync("POST");
        using var sender = new HttpClient();
        var refused = await sender.PostAsync(await receiverUrl.TextContentAsync(), new StringContent("hello", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, refused.StatusCode);
        await Assertions.Expect(help.Locator("[data-testid=refusals]")).ToContainTextAsync("415");
        await Assertions.Expect(help.Locator("[data-testid=refusals]")).ToContainTextAsync("text/plain");
        await BrowserFixture.ScreenshotAsync(page, "34-connect-nothing-arrived");

        // The sample goes through the receiver and shows up like any sender's payload, without a reload.
        await page.GetByRole(AriaRole.Button, new() { Name = "Send a sample" }).ClickAsync();
        var arrived = page.Locator("[data-testid=arrived]");
        await Assertions.Expect(arrived).ToContainTextAsync("arrived");
        await Assertions.Expect(arrived).ToContainTextAsync("sample");
        await Assertions.Expect(help).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(page, "35-connect-arrived");

        await page.GetByRole(AriaRole.Button, new() { Name = "I did it" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(MapUrl());
    }

    [Fact]
    public async Task A_payload_posted_by_the_sender_appears_live_and_the_sources_list_shows_app_status_and_failing_sources()
    {
        var baseAddress = Studio.Start();
        await Studio.CreateUserAsync("admin@example.com", "admin-pass-1", "Admin");
        using var api = new HttpClient { BaseAddress = baseAddress };
        api.DefaultRequestHeaders.Add("X-Api-Key", await Studio.CreateApiKeyAsync("Admin"));
        var github = await CreateAsync(api, "GitHub pushes", "github");
        var shop = await CreateAsync(api, "Shop orders", "shopify");
        // A live source whose mapping no longer finds the id: every payload fails.
        (await api.PatchAsJsonAsync($"/api/v1/sources/{shop.Id}", new { idPath = "$.order_number_gone", liveStream = true })).EnsureSuccessStatusCode();
        (await api.PostAsync(shop.ReceiverUrl, new StringContent(SamplePayloads.Read("shopify-orders-create.json"), Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

        var page = await Browser.NewPageAsync(baseAddress);
        await BrowserFixture.SignInAsync(page, "admin@example.com", "admin-pass-1");
        await Assertions.Expect(page.Locator("[data-testid=sources-attention]")).ToContainTextAsync("Shop orders");
        await Assertions.Expect(page.Locator("[data-testid=sources-attention]")).ToContainTextAsync("Its last payload failed the mapping");
        await BrowserFixture.ScreenshotAsync(page, "36-dashboard-attention");

        await page.GotoAsync("/sources");
        await BrowserFixture.WaitForInteractiveAsync(page);
        var table = page.Locator("[data-testid=sources-table]");
        await Assertions.Expect(table.Locator("tr", new() { HasText = "Shop orders" })).ToContainTextAsync("100% failing");
        await Assertions.Expect(table.Locator("tr", new() { HasText = "GitHub pushes" })).ToContainTextAsync("Awaiting first payload");
        await BrowserFixture.ScreenshotAsync(page, "37-sources-list");

        // An awaiting source opens its connect step; a push from the real sender appears there live.
        await table.Locator("tr", new() { HasText = "GitHub pushes" }).GetByRole(AriaRole.Link, new() { Name = "GitHub pushes" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=waiting]")).ToBeVisibleAsync();
        (await api.PostAsync(github.ReceiverUrl, new StringContent(SamplePayloads.Read("github-push.json"), Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        await Assertions.Expect(page.Locator("[data-testid=arrived]")).ToContainTextAsync("application/json");
        await Assertions.Expect(page.Locator("[data-testid=arrived]")).Not.ToContainTextAsync("sample");
    }

    private static async Task<SourceCreated> CreateAsync(HttpClient api, string name, string app)
    {
        var response = await api.PostAsJsonAsync("/api/v1/sources", new { name, app });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<SourceCreated>())!;
    }

    private sealed record SourceCreated(int Id, string ReceiverUrl);

    [GeneratedRegex(@"/sources/\d+/setup$")]
    private static partial Regex SetupUrl();

    [GeneratedRegex(@"/sources/\d+/setup/map$")]
    private static partial Regex MapUrl();
}
