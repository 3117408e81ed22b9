using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace WebhookStudio.Tests.Browser;

/// <summary>The pages' Content-Security-Policy lets Blazor, MudBlazor and Monaco work: the browser reports no violation.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ContentSecurityPolicyTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    [Fact]
    public async Task Pages_with_monaco_run_under_the_policy_without_a_violation()
    {
        var baseAddress = Studio.Start();
        await Studio.CreateUserAsync("editor@example.com", "editor-pass-1", "Editor");
        var page = await Browser.NewPageAsync(baseAddress);
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
                violations.Add(message.Text);
        };
        using var api = new HttpClient { BaseAddress = baseAddress };
        api.DefaultRequestHeaders.Add("X-Api-Key", await Studio.CreateApiKeyAsync("Editor"));
        var bin = await (await api.PostAsJsonAsync("/api/v1/bins", new { name = "Policy" })).Content.ReadFromJsonAsync<JsonElement>();
        (await api.PostAsJsonAsync(bin.GetProperty("url").GetString(), new { order = 42 })).EnsureSuccessStatusCode();

        await BrowserFixture.SignInAsync(page, "editor@example.com", "editor-pass-1");
        await page.GotoAsync($"/bins/{bin.GetProperty("id").GetInt32()}");
        await BrowserFixture.WaitForInteractiveAsync(page);
        await Assertions.Expect(page.Locator(".monaco-editor").First).ToBeVisibleAsync();
        await page.GotoAsync("/subscriptions/new");
        await BrowserFixture.WaitForInteractiveAsync(page);

        Assert.Empty(violations);
    }
}
