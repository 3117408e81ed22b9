using System.Net.Http.Json;
using System.Text;
using Microsoft.Playwright;

namespace WebhookStudio.Tests.Browser;

/// <summary>Steps 2 to 4 of a source's setup, by clicking the payload's tree as a user without JSONPath knowledge would.</summary>
[Collection(BrowserCollection.Name)]
public sealed class MappingWizardTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    [Fact]
    public async Task Picking_the_entity_id_and_title_in_the_tree_then_saving_and_going_live_makes_the_stored_payload_an_item()
    {
        var baseAddress = Studio.Start();
        await Studio.CreateUserAsync("editor@example.com", "editor-pass-1", "Editor");
        using var api = new HttpClient { BaseAddress = baseAddress };
        api.DefaultRequestHeaders.Add("X-Api-Key", await Studio.CreateApiKeyAsync("Admin"));
        var stripe = await CreateSourceAsync(api, "Stripe invoices", "stripe");
        var waiting = await CreateSourceAsync(api, "Zendesk tickets", "zendesk");
        (await api.PostAsync(stripe.ReceiverUrl, new StringContent(SamplePayloads.Read("stripe-invoice-paid.json"), Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

        var page = await Browser.NewPageAsync(baseAddress);
        await BrowserFixture.SignInAsync(page, "editor@example.com", "editor-pass-1");

        // Before any payload arrived there is nothing to map: the page says so and leads back.
        await page.GotoAsync($"/sources/{waiting.Id}/setup/map");
        await BrowserFixture.WaitForInteractiveAsync(page);
        await Assertions.Expect(page.GetByText("No payload has arrived yet")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Back to connecting the app" })).ToHaveAttributeAsync("href", $"sources/{waiting.Id}/setup");
        await ScreenshotAsync(page, "30-map-no-payload");

        await page.GotoAsync($"/sources/{stripe.Id}/setup/map");
        await BrowserFixture.WaitForInteractiveAsync(page);
        var tree = page.Locator("[data-testid=json-tree]");
        await Assertions.Expect(page.Locator("[data-testid=payload-preview] .view-lines")).ToContainTextAsync("jenny.rosen@example.com");
        await ScreenshotAsync(page, "31-map-step");

        await Row(page, "$.data.object").ClickAsync();
        await tree.GetByRole(AriaRole.Button, new() { Name = "Use as entity" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("entity-path")).ToHaveValueAsync("$.data.object");

        // Next without a unique id: the message is next to the id field.
        await page.GetByTestId("next").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=map-section]")).ToContainTextAsync("Choose the unique id");
        await ScreenshotAsync(page, "32-map-id-missing");

        await Row(page, "$.data.object.id").ClickAsync();
        await tree.GetByRole(AriaRole.Button, new() { Name = "Use as unique id" }).ClickAsync();
        await Row(page, "$.data.object.customer_email").ClickAsync();
        await tree.GetByRole(AriaRole.Button, new() { Name = "Use as title" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("id-path")).ToHaveValueAsync("$.id");
        await Assertions.Expect(page.GetByTestId("title-path")).ToHaveValueAsync("$.customer_email");
        await Assertions.Expect(page.Locator("[data-testid=id-coverage]")).ToContainTextAsync("100% (1 of 1)");
        await Assertions.Expect(page.Locator("[data-testid=entities-table]")).ToContainTextAsync("in_1QxY2yAbCdEfGhIj");
        await Row(page, "$.data.object.customer_email").ClickAsync();
        await ScreenshotAsync(page, "33-map-picked");

        await page.GetByTestId("next").ClickAsync();
        await page.GetByText("Filter payloads").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=condition-value-input]")).ToHaveValueAsync("invoice.paid");
        await page.GetByTestId("filter-as-json").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=filter-json] .view-lines")).ToContainTextAsync("invoice.paid");
        await ScreenshotAsync(page, "34-filter-step");

        await page.GetByTestId("next").ClickAsync();
        var goLive = page.Locator("[data-testid=golive-section]");
        await Assertions.Expect(goLive).ToContainTextAsync("Save the settings first.");
        await ScreenshotAsync(page, "35-go-live-step");
        await goLive.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("saved")).ToBeVisibleAsync();

        await page.GetByLabel("Enable live stream").CheckAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToContainTextAsync("Also process the 1 payload already received?");
        await ScreenshotAsync(page, "36-go-live-dialog");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Process them" }).ClickAsync();
        await Assertions.Expect(goLive).ToContainTextAsync("On: new payloads become items as they arrive.");
        await ScreenshotAsync(page, "37-live");

        await page.GetByTestId("finish").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=source-tabs]")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Items" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=items-grid]")).ToContainTextAsync("jenny.rosen@example.com");
    }

    [Fact]
    public async Task The_apps_suggested_mapping_fills_the_map_step_in_one_click_with_its_coverage()
    {
        var baseAddress = Studio.Start();
        await Studio.CreateUserAsync("editor@example.com", "editor-pass-1", "Editor");
        using var api = new HttpClient { BaseAddress = baseAddress };
        api.DefaultRequestHeaders.Add("X-Api-Key", await Studio.CreateApiKeyAsync("Admin"));
        var github = await CreateSourceAsync(api, "GitHub pushes", "github");
        (await api.PostAsync(github.ReceiverUrl, new StringContent(SamplePayloads.Read("github-push.json"), Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

        var page = await Browser.NewPageAsync(baseAddress);
        await BrowserFixture.SignInAsync(page, "editor@example.com", "editor-pass-1");
        await page.GotoAsync($"/sources/{github.Id}/setup/map");
        await BrowserFixture.WaitForInteractiveAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "Use GitHub's suggested mapping for push" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("entity-path")).ToHaveValueAsync("$.commits[*]");
        await Assertions.Expect(page.GetByTestId("id-path")).ToHaveValueAsync("id");
        await Assertions.Expect(page.GetByTestId("title-path")).ToHaveValueAsync("message");
        await Assertions.Expect(page.Locator("[data-testid=id-coverage]")).ToContainTextAsync("100% (1 of 1)");
        await Assertions.Expect(page.Locator("[data-testid=entities-table]")).ToContainTextAsync("Fix the retry schedule");
        await page.Mouse.MoveAsync(0, 0);
        await ScreenshotAsync(page, "38-map-suggested-mapping");
    }

    // From the top, so the fixed app bar sits where it belongs in a full-page shot.
    private static async Task ScreenshotAsync(IPage page, string name)
    {
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await BrowserFixture.ScreenshotAsync(page, name);
    }

    private static ILocator Row(IPage page, string path) => page.Locator($"[data-path='{path}'] .jt-key");

    private static async Task<SourceCreated> CreateSourceAsync(HttpClient api, string name, string app)
    {
        var response = await api.PostAsJsonAsync("/api/v1/sources", new { name, app });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<SourceCreated>())!;
    }

    private sealed record SourceCreated(int Id, string ReceiverUrl);
}
