using System.Text;
using Microsoft.Playwright;

namespace WebhookStudio.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class BinsFlowTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    [Fact]
    public async Task A_new_bin_shows_requests_live_and_each_opens_with_its_body()
    {
        var baseAddress = Studio.Start();
        await Studio.CreateUserAsync("editor@example.com", "editor-pass-1", "Editor");
        var page = await Browser.NewPageAsync(baseAddress);
        await BrowserFixture.SignInAsync(page, "editor@example.com", "editor-pass-1");

        // Clicked possibly before the live connection is up (an enhanced navigation): Monaco must still be styled later.
        await page.GetByRole(AriaRole.Link, new() { Name = "Request bins" }).ClickAsync();
        await BrowserFixture.WaitForInteractiveAsync(page);
        // The live connection may have started on the page the early click left (and rendered that page again), so
        // ask for the bins once more inside it; the <head> the early navigation rebuilt stays as it is.
        await page.GetByRole(AriaRole.Link, new() { Name = "Request bins" }).ClickAsync();
        await Assertions.Expect(page.GetByText("No request bins yet")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=new-bin]")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "60-bins-empty");

        await page.ClickAsync("[data-testid=new-bin]");
        await page.GetByLabel("Name").FillAsync("CRM subscription test");
        await page.GetByLabel("Status").FillAsync("202");
        await page.GetByLabel("Headers (optional)").FillAsync("X-Bin: studio");
        await BrowserFixture.ScreenshotAsync(page, "61-new-bin-dialog");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create bin" }).ClickAsync();

        // The dialog navigates inside the live connection, so wait for the bin page's content.
        var requests = page.Locator("[data-testid=bin-requests]");
        await Assertions.Expect(requests).ToContainTextAsync("Waiting for the first request");
        var binUrl = (await page.Locator("[data-testid=bin-url] code").TextContentAsync())!;
        Assert.StartsWith(baseAddress + "bins/", binUrl, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("[data-testid=bin-curl]")).ToContainTextAsync("curl -X POST");
        await BrowserFixture.ScreenshotAsync(page, "62-bin-waiting");

        // Two requests arrive while the page is open: they appear without a reload, newest first.
        using var sender = new HttpClient();
        var post = await sender.PostAsync(binUrl + "/orders", new StringContent("""{"order":{"id":"A-1001","total":129.5,"items":[{"sku":"TEA-01","qty":2}]}}""", Encoding.UTF8, "application/json"));
        Assert.Equal(202, (int)post.StatusCode);
        Assert.Equal("studio", post.Headers.GetValues("X-Bin").Single());
        await Assertions.Expect(requests.Locator("[data-testid=bin-request]")).ToHaveCountAsync(1);
        (await sender.GetAsync(binUrl + "?status=paid&page=2")).EnsureSuccessStatusCode();
        await Assertions.Expect(requests.Locator("[data-testid=bin-request]")).ToHaveCountAsync(2);
        await Assertions.Expect(requests.Locator("[data-testid=bin-request]").First).ToContainTextAsync("GET");
        await Assertions.Expect(requests.Locator("[data-testid=bin-request]").First).ToContainTextAsync("/?status=paid&page=2");
        await Assertions.Expect(requests).ToContainTextAsync("2 requests");

        // The newest opened by itself; open the JSON POST and read its pretty-printed body.
        await requests.Locator("[data-testid=bin-request]", new() { HasText = "POST" }).ClickAsync();
        var detail = page.Locator("[data-testid=bin-request-detail]");
        await Assertions.Expect(detail).ToContainTextAsync("/orders");
        await Assertions.Expect(page.Locator("[data-testid=bin-request-body] .view-lines")).ToContainTextAsync("\"sku\": \"TEA-01\"");
        await Assertions.Expect(page.Locator("[data-testid=bin-request-headers]")).ToContainTextAsync("application/json");
        await BrowserFixture.ScreenshotAsync(page, "63-bin-requests");

        await requests.Locator("[data-testid=bin-request]", new() { HasText = "GET" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=bin-request-query]")).ToContainTextAsync("paid");
        await Assertions.Expect(detail).ToContainTextAsync("No body.");

        // The answer is edited in place and used for the next request.
        await page.ClickAsync("[data-testid=edit-response]");
        await page.GetByLabel("Status").FillAsync("201");
        await page.GetByLabel("Body").FillAsync("created");
        await page.ClickAsync("[data-testid=save-response]");
        await Assertions.Expect(page.Locator("[data-testid=bin-response]")).ToContainTextAsync("201");
        var next = await sender.PutAsync(binUrl, new StringContent("x"));
        Assert.Equal(201, (int)next.StatusCode);
        Assert.Equal("created", await next.Content.ReadAsStringAsync());
        await Assertions.Expect(requests.Locator("[data-testid=bin-request]")).ToHaveCountAsync(3);

        await page.GetByRole(AriaRole.Link, new() { Name = "Request bins" }).First.ClickAsync();
        var table = page.Locator("[data-testid=bins-table]");
        await Assertions.Expect(table).ToContainTextAsync("CRM subscription test");
        await Assertions.Expect(table.Locator("tbody tr").First).ToContainTextAsync("3");
        await BrowserFixture.ScreenshotAsync(page, "64-bins-list");
    }
}
