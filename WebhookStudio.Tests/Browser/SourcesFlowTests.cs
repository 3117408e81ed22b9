using System.Net.Http.Json;
using System.Text;
using Microsoft.Playwright;

namespace WebhookStudio.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class SourcesFlowTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    [Fact]
    public async Task A_payload_sent_to_a_new_source_appears_live_and_becomes_an_item_with_history()
    {
        var baseAddress = Studio.Start();
        await Studio.CreateUserAsync("admin@example.com", "admin-pass-1", "Admin");
        var page = await Browser.NewPageAsync(baseAddress);
        await BrowserFixture.SignInAsync(page, "admin@example.com", "admin-pass-1");

        await page.GotoAsync("/sources");
        await BrowserFixture.WaitForInteractiveAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "10-sources-empty");
        await page.ClickAsync("[data-testid=add-source]");
        await page.GetByLabel("Search applications").FillAsync("zendesk");
        await page.GetByRole(AriaRole.Button, new() { Name = "Zendesk" }).ClickAsync();
        await page.GetByLabel("Display name").FillAsync("Zendesk tickets");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        // The dialog navigates inside the live connection (no page load), so wait for the new page's content.
        await Assertions.Expect(page.Locator("[data-testid=receiver-url]")).ToBeVisibleAsync();
        var receiverUrl = (await page.Locator("[data-testid=receiver-url] code").TextContentAsync())!;
        Assert.StartsWith(baseAddress + "hooks/", receiverUrl, StringComparison.Ordinal);
        await BrowserFixture.ScreenshotAsync(page, "11-source-waiting");

        // The mapping wizard is its own screen; here the mapping is set through the API, as a program would.
        using var api = new HttpClient { BaseAddress = baseAddress };
        api.DefaultRequestHeaders.Add("X-Api-Key", await Studio.CreateApiKeyAsync("Admin"));
        var sourceId = new Uri(page.Url).Segments[2].TrimEnd('/');
        (await api.PatchAsJsonAsync($"/api/v1/sources/{sourceId}", new { entityPath = "$.detail", idPath = "id", titlePath = "subject", liveStream = true })).EnsureSuccessStatusCode();
        await page.GotoAsync($"/sources/{sourceId}");
        await BrowserFixture.WaitForInteractiveAsync(page);

        var ticket = SamplePayloads.Read("zendesk-ticket-updated.json");
        (await api.PostAsync(receiverUrl, new StringContent(ticket, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        var table = page.Locator("[data-testid=payloads-table]");
        await Assertions.Expect(table).ToContainTextAsync("processed");
        await Assertions.Expect(table).ToContainTextAsync("1 created");
        await BrowserFixture.ScreenshotAsync(page, "12-source-first-payload");

        (await api.PostAsync(receiverUrl, new StringContent(ticket.Replace("\"status\": \"OPEN\"", "\"status\": \"SOLVED\"", StringComparison.Ordinal), Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        await Assertions.Expect(table).ToContainTextAsync("1 updated");

        await page.GotoAsync("/items");
        await BrowserFixture.WaitForInteractiveAsync(page);
        await page.Locator("[data-testid=items-grid] tbody tr").First.ClickAsync();
        await Assertions.Expect(page.Locator(".changes-table").First).ToContainTextAsync("SOLVED");
        await BrowserFixture.ScreenshotAsync(page, "13-item-history");
    }

    [Fact]
    public async Task Choosing_an_app_in_add_a_data_source_shows_what_it_sends_its_handshake_and_where_its_secret_is()
    {
        var baseAddress = Studio.Start();
        await Studio.CreateUserAsync("admin@example.com", "admin-pass-1", "Admin");
        var page = await Browser.NewPageAsync(baseAddress);
        await BrowserFixture.SignInAsync(page, "admin@example.com", "admin-pass-1");

        await page.GotoAsync("/sources");
        await BrowserFixture.WaitForInteractiveAsync(page);
        await page.ClickAsync("[data-testid=add-source]");
        await page.GetByLabel("Search applications").FillAsync("slack");
        await page.GetByRole(AriaRole.Button, new() { Name = "Slack" }).ClickAsync();

        var profile = page.Locator("[data-testid=app-profile]");
        await Assertions.Expect(profile).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=app-profile-events]")).ToContainTextAsync("app_mention");
        await Assertions.Expect(page.Locator("[data-testid=app-profile-handshake]")).ToContainTextAsync("url_verification");
        await Assertions.Expect(page.Locator("[data-testid=app-profile-verification]")).ToContainTextAsync("Signing secret");
        Assert.Equal("https://api.slack.com/authentication/verifying-requests-from-slack",
            await page.Locator("[data-testid=app-profile-verification-docs]").GetAttributeAsync("href"));
        await BrowserFixture.ScreenshotAsync(page, "14-add-source-app-profile");

        await page.ClickAsync("[data-testid=change-app]");
        await page.GetByLabel("Search applications").FillAsync("mollie");
        await page.GetByRole(AriaRole.Button, new() { Name = "Mollie" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=app-profile-verification]")).ToContainTextAsync("checks no signature from Mollie");
        await BrowserFixture.ScreenshotAsync(page, "15-add-source-app-without-signature");
    }
}
