using System.Net.Http.Json;
using System.Text.Json;

namespace WebhookStudio.Tests.Browser;

/// <summary>A bin answers on the studio's own origin, so what an Editor puts in it must not act for whoever opens it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class BinOriginTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    private const string Attack = """
        <!doctype html><title>Invoice</title>
        <script>
          fetch('/api/v1/users', { method: 'POST', headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ email: 'mallory@example.com', password: 'attacker-pass-1', role: 'admin' }) })
            .finally(() => { document.title = 'sent'; });
        </script>
        """;

    [Fact]
    public async Task An_admin_opening_an_editors_bin_creates_no_user()
    {
        var baseAddress = Studio.Start();
        await Studio.CreateUserAsync("admin@example.com", "admin-pass-1", "Admin");
        using var editor = new HttpClient { BaseAddress = baseAddress };
        editor.DefaultRequestHeaders.Add("X-Api-Key", await Studio.CreateApiKeyAsync("Editor"));
        var bin = await (await editor.PostAsJsonAsync("/api/v1/bins",
            new { name = "Invoice", response = new { contentType = "text/html", body = Attack } })).Content.ReadFromJsonAsync<JsonElement>();
        var binUrl = bin.GetProperty("url").GetString()!;

        var page = await Browser.NewPageAsync(baseAddress);
        await BrowserFixture.SignInAsync(page, "admin@example.com", "admin-pass-1");
        var answer = await page.GotoAsync(binUrl);
        Assert.Equal(200, answer!.Status);
        // Time for the script's request had it run; the sandbox keeps it from running at all.
        await page.WaitForTimeoutAsync(3000);
        Assert.NotEqual("sent", await page.TitleAsync());

        using var admin = new HttpClient { BaseAddress = baseAddress };
        admin.DefaultRequestHeaders.Add("X-Api-Key", await Studio.CreateApiKeyAsync("Admin"));
        Assert.DoesNotContain("mallory@example.com", await admin.GetStringAsync("/api/v1/users"), StringComparison.Ordinal);

        // The same request sent from a page of the studio's origin with the cookie alone is refused too.
        await page.GotoAsync("/");
        var status = await page.EvaluateAsync<int>("""
            fetch('/api/v1/users', { method: 'POST', headers: { 'Content-Type': 'application/json' },
              body: JSON.stringify({ email: 'mallory@example.com', password: 'attacker-pass-1', role: 'admin' }) }).then(r => r.status)
            """);
        Assert.Equal(403, status);
        Assert.DoesNotContain("mallory@example.com", await admin.GetStringAsync("/api/v1/users"), StringComparison.Ordinal);
    }
}
