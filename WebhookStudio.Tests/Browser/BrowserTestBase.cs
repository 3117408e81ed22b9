using Microsoft.Playwright;
using WebhookStudio.Tests.Infrastructure;

namespace WebhookStudio.Tests.Browser;

/// <summary>A live studio per test, driven by the shared headless Chromium. Derived classes join <see cref="BrowserCollection"/>.</summary>
public abstract class BrowserTestBase(BrowserFixture browser) : IAsyncLifetime
{
    protected BrowserFixture Browser { get; } = browser;

    protected LiveStudio Studio { get; } = new();

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Starts the studio, signs a new Editor in, and opens "Add data source" on the Sources page.</summary>
    protected async Task<(IPage Page, Uri BaseAddress)> OpenAddSourceDialogAsEditorAsync()
    {
        var baseAddress = Studio.Start();
        await Studio.CreateUserAsync("editor@example.com", "editor-pass-1", "Editor");
        var page = await Browser.NewPageAsync(baseAddress);
        await BrowserFixture.SignInAsync(page, "editor@example.com", "editor-pass-1");
        await page.GotoAsync("/sources");
        await BrowserFixture.WaitForInteractiveAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add data source" }).First.ClickAsync();
        return (page, baseAddress);
    }

    public async Task DisposeAsync()
    {
        // Close the pages first: an open circuit would hold the server's graceful shutdown.
        await Browser.CloseContextsAsync();
        Studio.Dispose();
    }
}
