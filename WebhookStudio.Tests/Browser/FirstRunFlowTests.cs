using Microsoft.Playwright;

namespace WebhookStudio.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class FirstRunFlowTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    [Fact]
    public async Task A_new_user_creates_the_first_admin_signs_in_and_sees_the_dashboard()
    {
        var baseAddress = Studio.Start();
        Assert.Equal("127.0.0.1", baseAddress.Host);
        var page = await Browser.NewPageAsync(baseAddress);

        await page.GotoAsync("/");
        await page.WaitForURLAsync("**/setup");
        await BrowserFixture.ScreenshotAsync(page, "01-first-run-setup");

        await page.FillAsync("#email", "ana@example.com");
        await page.FillAsync("#password", "first-admin-1");
        await page.FillAsync("#confirm", "first-admin-1");
        await page.ClickAsync("button[type=submit]");

        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=nav]")).ToContainTextAsync("Users & API keys");
        await BrowserFixture.ScreenshotAsync(page, "02-dashboard");

        // Sign out through the user menu, then sign in again with the new account.
        await BrowserFixture.WaitForInteractiveAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "ana@example.com" }).ClickAsync();
        await BrowserFixture.ScreenshotAsync(page, "03-user-menu");
        await page.ClickAsync("[data-testid=sign-out]");
        await page.WaitForURLAsync("**/account/login");
        await page.FillAsync("#email", "ana@example.com");
        await page.FillAsync("#password", "wrong-password");
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.Locator("[data-testid=login-error]")).ToContainTextAsync("not right");
        await BrowserFixture.ScreenshotAsync(page, "04-sign-in-error");

        await page.FillAsync("#email", "ana@example.com");
        await page.FillAsync("#password", "first-admin-1");
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task An_admin_creates_an_api_key_and_sees_it_once()
    {
        var baseAddress = Studio.Start();
        await Studio.CreateUserAsync("admin@example.com", "admin-pass-1", "Admin");
        var page = await Browser.NewPageAsync(baseAddress);
        await BrowserFixture.SignInAsync(page, "admin@example.com", "admin-pass-1");

        await page.GotoAsync("/users?tab=keys");
        await BrowserFixture.WaitForInteractiveAsync(page);
        await page.ClickAsync("[data-testid=create-key]");
        await page.GetByLabel("Name").FillAsync("CRM sync");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        var key = await page.Locator("[data-testid=new-key] code").TextContentAsync();
        Assert.StartsWith("whs_", key, StringComparison.Ordinal);
        await BrowserFixture.ScreenshotAsync(page, "05-api-key-created");

        await page.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=keys-table]")).ToContainTextAsync("CRM sync");
        await Assertions.Expect(page.Locator("[data-testid=keys-table]")).Not.ToContainTextAsync(key!);
        await BrowserFixture.ScreenshotAsync(page, "06-api-keys");

        using var api = new HttpClient { BaseAddress = baseAddress };
        api.DefaultRequestHeaders.Add("X-Api-Key", key);
        Assert.Contains("\"role\":\"editor\"", await api.GetStringAsync("/api/v1/me"), StringComparison.Ordinal);
    }
}
