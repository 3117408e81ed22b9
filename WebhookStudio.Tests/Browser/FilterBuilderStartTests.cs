using System.Net.Http.Json;
using System.Text;
using Microsoft.Playwright;

namespace WebhookStudio.Tests.Browser;

/// <summary>Turning a filter on starts with an empty row that filters nothing, and the field offers the payload's paths as soon as it has focus.</summary>
[Collection(BrowserCollection.Name)]
public sealed class FilterBuilderStartTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    [Fact]
    public async Task A_new_filter_starts_empty_filters_nothing_and_suggests_the_payload_fields_on_focus()
    {
        var baseAddress = Studio.Start();
        await Studio.CreateUserAsync("editor@example.com", "editor-pass-1", "Editor");
        using var api = new HttpClient { BaseAddress = baseAddress };
        api.DefaultRequestHeaders.Add("X-Api-Key", await Studio.CreateApiKeyAsync("Admin"));
        var created = await (await api.PostAsJsonAsync("/api/v1/sources", new { name = "Shop orders", app = "shopify" })).Content.ReadFromJsonAsync<SourceCreated>();
        (await api.PatchAsJsonAsync($"/api/v1/sources/{created!.Id}", new { idPath = "$.id", titlePath = "$.name" })).EnsureSuccessStatusCode();
        // No type, event or topic field: nothing to suggest a first condition from.
        (await api.PostAsync(created.ReceiverUrl, new StringContent("""{"id": 1007, "name": "#1007", "total_price": "12.00"}""", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

        var page = await Browser.NewPageAsync(baseAddress);
        await BrowserFixture.SignInAsync(page, "editor@example.com", "editor-pass-1");
        await page.GotoAsync($"/sources/{created.Id}?tab=settings");
        await BrowserFixture.WaitForInteractiveAsync(page);
        await page.GetByText("Filter payloads").ClickAsync();

        var path = page.Locator("input[data-testid=condition-path]");
        await Assertions.Expect(path).ToHaveValueAsync("");
        await Assertions.Expect(page.Locator("input[data-testid=condition-value-input]")).ToHaveValueAsync("");
        await Assertions.Expect(page.Locator("[data-testid=backtest-headline]")).ToHaveTextAsync("The 1 payload received would be processed");
        await Assertions.Expect(page.Locator("[data-testid=backtest-ignored]")).ToContainTextAsync("1 condition is not filled in yet");

        await path.FocusAsync();
        var suggestions = page.Locator(".mud-popover-open .mud-list-item");
        await Assertions.Expect(suggestions.Filter(new() { HasText = "$.total_price" })).ToBeVisibleAsync();
        await Assertions.Expect(suggestions.Filter(new() { HasText = "$.name" })).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "60-filter-starts-empty");

        await suggestions.Filter(new() { HasText = "$.total_price" }).ClickAsync();
        await page.Locator("input[data-testid=condition-value-input]").FillAsync("99.00");
        await page.Locator("input[data-testid=condition-value-input]").PressAsync("Tab");
        await Assertions.Expect(page.Locator("[data-testid=backtest-headline]")).ToHaveTextAsync("Would process 0 of the last 1 payload");
    }

    private sealed record SourceCreated(int Id, string ReceiverUrl);
}
