using System.Net.Http.Json;
using System.Text;
using Microsoft.Playwright;

namespace WebhookStudio.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class SourcePageTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    [Fact]
    public async Task A_live_source_shows_its_payloads_items_and_activity_and_each_payload_opens_with_its_body()
    {
        var baseAddress = Studio.Start();
        await Studio.CreateUserAsync("editor@example.com", "editor-pass-1", "Editor");
        using var api = new HttpClient { BaseAddress = baseAddress };
        api.DefaultRequestHeaders.Add("X-Api-Key", await Studio.CreateApiKeyAsync("Admin"));
        var created = await (await api.PostAsJsonAsync("/api/v1/sources", new { name = "GitHub pushes", app = "github" })).Content.ReadFromJsonAsync<SourceCreated>();
        (await api.PatchAsJsonAsync($"/api/v1/sources/{created!.Id}", new { entityPath = "$.commits[*]", idPath = "$.id", titlePath = "$.message", liveStream = true })).EnsureSuccessStatusCode();

        var page = await Browser.NewPageAsync(baseAddress);
        await BrowserFixture.SignInAsync(page, "editor@example.com", "editor-pass-1");
        await page.GotoAsync($"/sources/{created.Id}");
        await BrowserFixture.WaitForInteractiveAsync(page);
        var payloads = page.Locator("[data-testid=payloads-table]");
        await Assertions.Expect(payloads).ToContainTextAsync("Waiting for the first payload");

        // Arrives while the page is open: the table fills in without a reload.
        var push = SamplePayloads.Read("github-push.json");
        (await api.PostAsync(created.ReceiverUrl, new StringContent(push, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        await Assertions.Expect(payloads).ToContainTextAsync("processed");
        await Assertions.Expect(payloads).ToContainTextAsync("2 created");
        await BrowserFixture.ScreenshotAsync(page, "20-source-payloads-tab");

        await page.GetByRole(AriaRole.Tab, new() { Name = "Activity" }).ClickAsync();
        var activity = page.Locator("[data-testid=activity-table]");
        await Assertions.Expect(activity).ToContainTextAsync("Fix the retry schedule");
        await Assertions.Expect(activity).ToContainTextAsync("created");
        await BrowserFixture.ScreenshotAsync(page, "21-source-activity-tab");

        await page.GetByRole(AriaRole.Tab, new() { Name = "Items" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=items-grid]")).ToContainTextAsync("59b20b8d5c6ff8d09518454d4dd8b7b30f095ab5");

        await page.GetByRole(AriaRole.Tab, new() { Name = "Webhook payloads" }).ClickAsync();
        await payloads.Locator("tbody tr").First.ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=payload-outcome]")).ToContainTextAsync("Items it changed");
        // The body is shown in Monaco, pretty-printed, exactly as received.
        var body = page.Locator("[data-testid=payload-body] .view-lines");
        await Assertions.Expect(body).ToContainTextAsync("octo-org/webhook-demo");
        await Assertions.Expect(page.Locator("[data-testid=payload-headers]")).ToContainTextAsync("application/json");
        await BrowserFixture.ScreenshotAsync(page, "22-payload-page");

        await page.Locator("[data-testid=payload-outcome] a", new() { HasText = "Fix the retry schedule" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=item-data] .view-lines")).ToContainTextAsync("mona@example.com");
        await Assertions.Expect(page.Locator("[data-testid=item-history]")).ToContainTextAsync("payload #");
        await BrowserFixture.ScreenshotAsync(page, "23-item-page");
    }

    private sealed record SourceCreated(int Id, string ReceiverUrl);
}
