using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;
using WebhookStudio.Tests.Infrastructure;

namespace WebhookStudio.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class DeliveriesFlowTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    [Fact]
    public async Task Failed_attempts_show_in_the_log_retry_now_delivers_and_a_deactivation_is_reactivated_with_replay()
    {
        await using var sink = await LocalSink.StartAsync();
        var status = 500;
        sink.Respond = async (_, context) =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(status == 200 ? "{\"received\":true}" : "{\"message\":\"CRM database is in maintenance\"}");
        };
        Studio.With("Outbound:AllowedNetworks:0", "127.0.0.0/8")
            .With("Deliveries:RetrySchedule:0", "00:00:00.2")
            .With("Deliveries:DeactivateAfterFailures", "4");
        var baseAddress = Studio.Start();
        await Studio.CreateUserAsync("admin@example.com", "admin-pass-1", "Admin");
        using var api = new HttpClient { BaseAddress = baseAddress };
        api.DefaultRequestHeaders.Add("X-Api-Key", await Studio.CreateApiKeyAsync("Admin"));
        var source = await (await api.PostAsJsonAsync("/api/v1/sources", new { name = "Shop orders", app = "custom" })).Content.ReadFromJsonAsync<JsonElement>();
        var sourceId = source.GetProperty("id").GetInt32();
        (await api.PatchAsJsonAsync($"/api/v1/sources/{sourceId}", new { entityPath = "$", idPath = "id", titlePath = "customer", liveStream = true })).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync("/api/v1/subscriptions", new
        {
            name = "CRM orders", app = "crm", events = new[] { "item.created", "item.updated" }, url = sink.Url("/webhooks/orders"), sourceId, maxAttempts = 3,
        })).EnsureSuccessStatusCode();
        var receiver = source.GetProperty("receiverUrl").GetString()!;
        async Task SendAsync(string json) => (await api.PostAsync(receiver, new StringContent(json, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

        await SendAsync("{\"id\":\"1001\",\"customer\":\"Ada Lovelace\",\"total\":\"129.00\"}");
        var page = await Browser.NewPageAsync(baseAddress);
        await BrowserFixture.SignInAsync(page, "admin@example.com", "admin-pass-1");
        await page.GotoAsync("/deliveries");
        await BrowserFixture.WaitForInteractiveAsync(page);
        var grid = page.Locator("[data-testid=deliveries-grid]");
        await Assertions.Expect(grid).ToContainTextAsync("Failed", new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("[data-testid=count-failed]")).ToContainTextAsync("1");
        await BrowserFixture.ScreenshotAsync(page, "40-deliveries-failed");

        await grid.Locator("tbody tr").First.ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=attempt]")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("[data-testid=delivery-error]")).ToContainTextAsync("CRM database is in maintenance");
        await Assertions.Expect(page.Locator("[data-testid=request-as-sent]")).ToContainTextAsync("webhook-signature");
        await BrowserFixture.ScreenshotAsync(page, "41-delivery-failed");

        status = 200;
        await page.ClickAsync("[data-testid=retry-now]");
        await page.Locator(".mud-snackbar").First.WaitForAsync();
        await page.Locator(".mud-snackbar button").First.ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=delivery-facts]")).ToContainTextAsync("Delivered", new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("[data-testid=attempt]")).ToHaveCountAsync(4);
        await BrowserFixture.ScreenshotAsync(page, "42-delivery-delivered");

        // Four failing attempts in a row deactivate the subscription; the bell shows it.
        status = 503;
        await SendAsync("{\"id\":\"1002\",\"customer\":\"Grace Hopper\",\"total\":\"80.00\"}");
        await SendAsync("{\"id\":\"1003\",\"customer\":\"Alan Turing\",\"total\":\"42.00\"}");
        var bell = page.Locator("[data-testid=notifications-bell]");
        await Assertions.Expect(page.Locator(".mud-badge")).ToContainTextAsync("1", new() { Timeout = 20_000 });
        await SendAsync("{\"id\":\"1003\",\"customer\":\"Alan Turing\",\"total\":\"45.00\"}");
        status = 200;
        await bell.ClickAsync();
        var notification = page.Locator("[data-testid=notification]").First;
        await Assertions.Expect(notification).ToContainTextAsync("Deliveries to 127.0.0.1 failed since");
        await Assertions.Expect(notification).ToContainTextAsync("\"CRM orders\" was deactivated: 4 attempts in a row failed.");
        await page.WaitForTimeoutAsync(500); // the menu's opening animation, for a clear screenshot
        await BrowserFixture.ScreenshotAsync(page, "43-notification");

        await notification.Locator("[data-testid=notification-reactivate]").ClickAsync();
        var dialog = page.Locator("[data-testid=reactivate-dialog]");
        await Assertions.Expect(dialog).ToContainTextAsync("buffered");
        await page.GetByText("Replay all buffered activities, in order").ClickAsync();
        await BrowserFixture.ScreenshotAsync(page, "44-reactivate-dialog");
        await page.ClickAsync("[data-testid=reactivate-confirm]");

        await page.GotoAsync("/deliveries");
        await BrowserFixture.WaitForInteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=count-buffered]")).ToContainTextAsync("0", new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("[data-testid=count-pending]")).ToContainTextAsync("0", new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator(".mud-badge")).Not.ToBeVisibleAsync();
        Assert.Contains(sink.Requests, r => r.BodyText.Contains("45.00", StringComparison.Ordinal));
        await BrowserFixture.ScreenshotAsync(page, "45-deliveries-after-replay");
    }
}
