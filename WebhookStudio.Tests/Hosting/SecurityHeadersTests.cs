using System.Net;
using System.Text.RegularExpressions;
using WebhookStudio.Tests.Infrastructure;

namespace WebhookStudio.Tests.Hosting;

public sealed partial class SecurityHeadersTests
{
    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : "";

    [Fact]
    public async Task Pages_run_only_the_studios_own_scripts_and_every_answer_refuses_framing_and_sniffing()
    {
        using var factory = new StudioFactory();
        await factory.CreateUserAsync("admin@example.com", "admin-pass-1", "Admin");
        var client = factory.CreateBrowserClient();

        var page = await client.GetAsync("/account/login");
        var policy = Header(page, "Content-Security-Policy");
        Assert.Contains("script-src 'self' 'nonce-", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("script-src 'self' 'unsafe-inline'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        var nonce = Regex.Match(policy, "'nonce-([^']+)'").Groups[1].Value;
        var html = await page.Content.ReadAsStringAsync();
        // Every inline script carries this request's nonce; the others are the studio's own files.
        foreach (Match script in InlineScript().Matches(html))
            Assert.Contains($"nonce=\"{nonce}\"", script.Value, StringComparison.Ordinal);
        Assert.Equal("nosniff", Header(page, "X-Content-Type-Options"));
        Assert.Equal("strict-origin-when-cross-origin", Header(page, "Referrer-Policy"));

        foreach (var path in new[] { "/api/v1/me", "/health", "/api/reference" })
        {
            var answer = await client.GetAsync(path);
            Assert.Contains("frame-ancestors 'none'", Header(answer, "Content-Security-Policy"), StringComparison.Ordinal);
            Assert.Equal("nosniff", Header(answer, "X-Content-Type-Options"));
        }
    }

    [Theory]
    [InlineData("https", true)]
    [InlineData(null, false)]
    public async Task Behind_a_tls_proxy_on_loopback_the_sign_in_cookie_is_secure(string? forwardedProto, bool secure)
    {
        using var studio = new LiveStudio();
        var baseAddress = studio.Start();
        await studio.CreateUserAsync("admin@example.com", "admin-pass-1", "Admin");
        using var proxy = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = baseAddress };
        if (forwardedProto is not null)
            proxy.DefaultRequestHeaders.Add("X-Forwarded-Proto", forwardedProto);

        var form = await proxy.GetAsync("/account/login");
        var antiforgery = form.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).ToList();
        var token = WebUtility.HtmlDecode(AntiforgeryToken().Match(await form.Content.ReadAsStringAsync()).Groups[1].Value);
        using var post = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "login", ["__RequestVerificationToken"] = token,
                ["Input.Email"] = "admin@example.com", ["Input.Password"] = "admin-pass-1",
            }),
        };
        post.Headers.Add("Cookie", string.Join("; ", antiforgery));
        var signedIn = await proxy.SendAsync(post);

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("WebhookStudio.Auth=", StringComparison.Ordinal));
        Assert.Equal(secure, cookie.Contains("secure", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [GeneratedRegex("<script(?![^>]*\\ssrc=)[^>]*>")]
    private static partial Regex InlineScript();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
