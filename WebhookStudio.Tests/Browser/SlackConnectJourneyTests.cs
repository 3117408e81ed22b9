using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Playwright;

namespace WebhookStudio.Tests.Browser;

/// <summary>Connecting Slack as a business user does: the URL check, the signing secret, then a signed event.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SlackConnectJourneyTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    private const string SigningSecret = "8f742231b10e8888abcd99yyyzzz85a5";

    /// <summary>What Slack sends (api.slack.com/authentication/verifying-requests-from-slack): v0=hex HMAC-SHA256 of "v0:ts:body".</summary>
    private static HttpRequestMessage SlackRequest(string url, string body, string secret)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"v0:{timestamp}:{body}")));
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature", signature);
        return request;
    }

    [Fact]
    public async Task A_slack_source_is_verified_by_slack_takes_its_signing_secret_and_accepts_a_signed_event()
    {
        var (page, _) = await OpenAddSourceDialogAsEditorAsync();
        await page.GetByLabel("Search applications").FillAsync("slack");
        await page.Locator("[data-testid=app-slack]").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();

        var receiverUrl = await page.Locator("[data-testid=receiver-url] code").TextContentAsync();
        Assert.Contains("/hooks/", receiverUrl, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("[data-testid=where-to-paste]")).ToContainTextAsync("Event Subscriptions");
        await Assertions.Expect(page.Locator("[data-testid=handshake-waiting]")).ToContainTextAsync("url_verification");
        await BrowserFixture.ScreenshotAsync(page, "60-slack-connect-waiting");

        // Slack checks the URL as soon as it is pasted, before anyone saved its signing secret.
        using var slack = new HttpClient();
        var check = await slack.PostAsync(receiverUrl, new StringContent(
            """{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}""",
            Encoding.UTF8, "application/json"));
        Assert.Equal("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", await check.Content.ReadAsStringAsync());
        await Assertions.Expect(page.Locator("[data-testid=handshake-status]")).ToContainTextAsync("Slack verified this URL at");

        // The signing secret, right there on the connect step.
        var editor = page.Locator("[data-testid=verification-editor]");
        await editor.Locator(".mud-select").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasTextString = "Slack" }).First.ClickAsync();
        await Assertions.Expect(editor.Locator("[data-testid=verification-help]")).ToContainTextAsync("Signing Secret");
        await editor.Locator("input[data-testid=verification-secret], [data-testid=verification-secret] input").First.FillAsync(SigningSecret);
        await editor.Locator("[data-testid=verification-save]").ClickAsync();
        await Assertions.Expect(editor).ToContainTextAsync("Saved: ••••85a5");
        await BrowserFixture.ScreenshotAsync(page, "61-slack-connect-verified-secret");

        // A forged event is refused with the reason; Slack's own signed event is accepted and shown as verified.
        const string message = """{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","team_id":"T061EG9R6","api_app_id":"A0PNCHHK2","event":{"type":"message","channel":"C024BE91L","user":"U2147483697","text":"Live long and prosper.","ts":"1355517523.000005"},"type":"event_callback","event_id":"Ev0PV52K21","event_time":1355517523}""";
        var forged = await slack.SendAsync(SlackRequest(receiverUrl!, message, "not-the-secret"));
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        await Assertions.Expect(page.Locator("[data-testid=live-refusal]")).ToContainTextAsync("X-Slack-Signature");

        var signed = await slack.SendAsync(SlackRequest(receiverUrl!, message, SigningSecret));
        Assert.Equal(HttpStatusCode.Accepted, signed.StatusCode);
        await Assertions.Expect(page.Locator("[data-testid=arrived]")).ToContainTextAsync("arrived");
        await Assertions.Expect(page.Locator("[data-testid=signature-verdict]")).ToContainTextAsync("Signature verified");
        await BrowserFixture.ScreenshotAsync(page, "62-slack-connect-signed-event");
    }
}
