using WebhookStudio.Tests.Infrastructure;

namespace WebhookStudio.Tests.Browser;

/// <summary>A live studio per test, driven by the shared headless Chromium. Derived classes join <see cref="BrowserCollection"/>.</summary>
public abstract class BrowserTestBase(BrowserFixture browser) : IAsyncLifetime
{
    protected BrowserFixture Browser { get; } = browser;

    protected LiveStudio Studio { get; } = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // Close the pages first: an open circuit would hold the server's graceful shutdown.
        await Browser.CloseContextsAsync();
        Studio.Dispose();
    }
}
