using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using WebhookStudio.Tests.Infrastructure;

namespace WebhookStudio.Tests.Access;

/// <summary>The sign-in cookie alone never changes data through the API: a page on another site, or a script, could send it.</summary>
public sealed partial class CookieApiWriteTests(SharedStudio shared) : SharedStudioTests(shared)
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Factory.CreateUserAsync("admin@example.com", "admin-pass-1", "Admin");
    }

    private async Task<HttpClient> SignedInAsync()
    {
        var client = Factory.CreateBrowserClient();
        Assert.Equal(HttpStatusCode.Redirect, (await Forms.SignInAsync(client, "admin@example.com", "admin-pass-1")).StatusCode);
        return client;
    }

    private static HttpRequestMessage CreateUser(string email, string? origin, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/users")
        {
            Content = JsonContent.Create(new { email, password = "attacker-pass-1", role = "admin" }),
        };
        if (origin is not null) request.Headers.Add("Origin", origin);
        if (token is not null) request.Headers.Add("RequestVerificationToken", token);
        return request;
    }

    private async Task<bool> UserExistsAsync(string email)
    {
        var admin = await ApiTestClient.ForRoleAsync(Factory, "Admin");
        var users = await admin.Http.GetFromJsonAsync<JsonElement>("/api/v1/users");
        return users.GetRawText().Contains(email, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("https://evil.example")]
    [InlineData("null")]
    public async Task A_write_with_only_the_cookie_is_refused(string? origin)
    {
        var client = await SignedInAsync();
        var problem = await ApiTestClient.ExpectProblemAsync(await client.SendAsync(CreateUser("mallory@example.com", origin, null)), HttpStatusCode.Forbidden);
        Assert.Contains("API key", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False(await UserExistsAsync("mallory@example.com"));
        // Reading with the cookie stays possible.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task A_same_origin_write_without_an_antiforgery_token_is_refused_and_with_one_passes()
    {
        var client = await SignedInAsync();
        await ApiTestClient.ExpectProblemAsync(await client.SendAsync(CreateUser("mallory@example.com", "http://localhost", null)), HttpStatusCode.Forbidden);
        Assert.False(await UserExistsAsync("mallory@example.com"));

        var html = await (await client.GetAsync("/account/password")).Content.ReadAsStringAsync();
        var token = WebUtility.HtmlDecode(AntiforgeryToken().Match(html).Groups[1].Value);
        await ApiTestClient.ExpectProblemAsync(await client.SendAsync(CreateUser("mallory@example.com", "https://evil.example", token)), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(CreateUser("colleague@example.com", "http://localhost", token))).StatusCode);
        Assert.True(await UserExistsAsync("colleague@example.com"));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
