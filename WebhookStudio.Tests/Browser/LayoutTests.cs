using Microsoft.Playwright;
using WebhookStudio.Tests.Infrastructure;

namespace WebhookStudio.Tests.Browser;

/// <summary>Pages fit the window on a laptop (1440 px) and a phone (390 px): nothing scrolls sideways or is cut off.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LayoutTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    /// <summary>Why an element is not fully visible (outside the window, or clipped by a scrolling ancestor), or null.</summary>
    private const string WhyNotFullyVisible = """
        element => {
            const r = element.getBoundingClientRect();
            if (r.width === 0) return "it has no width";
            if (r.left < -0.5 || r.right > window.innerWidth + 0.5) return `it spans ${r.left}–${r.right} px of a ${window.innerWidth} px window`;
            for (let a = element.parentElement; a; a = a.parentElement) {
                if (getComputedStyle(a).overflowX === "visible") continue;
                const ar = a.getBoundingClientRect();
                if (r.left < ar.left - 0.5 || r.right > ar.right + 0.5) return `it spans ${r.left}–${r.right} px inside "${a.className}" at ${ar.left}–${ar.right} px`;
            }
            return null;
        }
        """;

    [Fact]
    public async Task Deliveries_and_a_source_fit_a_laptop_and_a_phone_and_phone_cards_label_their_fields()
    {
        await using var sink = await LocalSink.StartAsync();
        var (sample, baseAddress) = await SampleStudio.StartAsync(Studio, sink);
        var page = await Browser.NewPageAsync(baseAddress);
        await BrowserFixture.SignInAsync(page, SampleStudio.AdminEmail, SampleStudio.AdminPassword);

        await page.SetViewportSizeAsync(1440, 900);
        await OpenAsync(page, "/deliveries", "Warehouse");
        await BrowserFixture.ScreenshotAsync(page, "90-deliveries-1440");
        await AssertNoSidewaysScrollAsync(page, "/deliveries at 1440 px");
        await AssertFullyVisibleAsync(page.GetByRole(AriaRole.Columnheader, new() { Name = "Next attempt" }), "Next attempt on /deliveries at 1440 px");
        // The failing deliveries wait for their next attempt: that cell is shown too.
        await AssertFullyVisibleAsync(page.Locator("[data-testid=deliveries-grid] tbody tr").First.Locator("td").Last, "the last cell on /deliveries at 1440 px");

        await OpenAsync(page, $"/sources/{sample.SourceId}", "1 created, 0 updated");
        await BrowserFixture.ScreenshotAsync(page, "91-source-1440");
        await AssertNoSidewaysScrollAsync(page, "the source page at 1440 px");

        await page.SetViewportSizeAsync(390, 844);
        await OpenAsync(page, $"/sources/{sample.SourceId}", "1 created, 0 updated");
        await BrowserFixture.ScreenshotAsync(page, "92-source-390");
        await AssertNoSidewaysScrollAsync(page, "the source page at 390 px");
        await AssertFullyVisibleAsync(page.GetByRole(AriaRole.Button, new() { Name = "Delete" }), "Delete on the source page at 390 px");
        await AssertCardsLabelledAsync(page.Locator("[data-testid=payloads-table]"), "payloads on the source page at 390 px");

        await OpenAsync(page, "/deliveries", "Warehouse");
        await BrowserFixture.ScreenshotAsync(page, "93-deliveries-390");
        await AssertNoSidewaysScrollAsync(page, "/deliveries at 390 px");
        await AssertCardsLabelledAsync(page.Locator("[data-testid=deliveries-grid]"), "deliveries at 390 px");

        foreach (var (path, shows, table) in new[]
                 {
                     ("/sources", "Shop orders", "sources-table"), ("/subscriptions", "Warehouse", "subscriptions-table"),
                     ("/bins", "CRM staging", "bins-table"), ("/users", SampleStudio.TesterEmail, "users-table"),
                 })
        {
            await OpenAsync(page, path, shows);
            await BrowserFixture.ScreenshotAsync(page, $"94-{table}-390");
            await AssertNoSidewaysScrollAsync(page, $"{path} at 390 px");
            await AssertCardsLabelledAsync(page.Locator($"[data-testid={table}]"), $"{path} at 390 px");
        }
    }

    private static async Task OpenAsync(IPage page, string path, string shows)
    {
        await page.GotoAsync(path);
        await BrowserFixture.WaitForInteractiveAsync(page);
        await Assertions.Expect(page.Locator("main").GetByText(shows).First).ToBeVisibleAsync();
    }

    private static async Task AssertNoSidewaysScrollAsync(IPage page, string where)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.scrollingElement.scrollWidth, window.innerWidth]");
        var (scrollWidth, innerWidth) = (widths[0], widths[1]);
        Assert.True(scrollWidth <= innerWidth, $"{where} scrolls sideways: {scrollWidth} px wide in a {innerWidth} px window.");
    }

    private static async Task AssertFullyVisibleAsync(ILocator element, string what)
    {
        await Assertions.Expect(element).ToBeVisibleAsync();
        var why = await element.EvaluateAsync<string?>(WhyNotFullyVisible);
        Assert.True(why is null, $"{what} is cut off: {why}.");
    }

    /// <summary>On a phone a table shows each row as a card: every cell with content names its column.</summary>
    private static async Task AssertCardsLabelledAsync(ILocator table, string where)
    {
        var cells = table.Locator("tbody tr").First.Locator("td");
        await Assertions.Expect(cells.First).ToBeVisibleAsync();
        var labels = await cells.EvaluateAllAsync<string[]>("cells => cells.map(c => c.textContent.trim() === '' ? 'empty' : getComputedStyle(c, '::before').content)");
        Assert.True(labels.All(l => l == "empty" || (l.Length > 2 && l != "none" && l != "normal")),
            $"A card of {where} has a field without its label: [{string.Join(", ", labels)}].");
    }
}
