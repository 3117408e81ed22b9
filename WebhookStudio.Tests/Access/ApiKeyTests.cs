using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WebhookStudio.Tests.Infrastructure;

namespace WebhookStudio.Tests.Access;

public sealed class ApiKeyTests(SharedStudio shared) : SharedStudioTests(shared, () => new StudioFactory().UseClock(new FakeTimeProvider(DateTimeOffset.UtcNow)))
{
    private FakeTimeProvider Clock => (FakeTimeProvider)Factory.Services.GetRequiredService<TimeProvider>();

    private HttpClient ClientWith(string? key, bool bearer = true)
    {
        var client = Factory.CreateClient();
        if (key is null) return client;
        if (bearer) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        else client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    [Fact]
    public async Task Me_answers_who_the_key_belongs_to_with_either_header()
    {
        var key = await Factory.CreateApiKeyAsync("Tester");
        foreach (var bearer in new[] { true, false })
        {
            var me = await ClientWith(key, bearer).GetFromJsonAsync<JsonElement>("/api/v1/me");
            Assert.Equal("test Tester", me.GetProperty("name").GetString());
            Assert.Equal("api_key", me.GetProperty("kind").GetString());
            Assert.Equal("tester", me.GetProperty("role").GetString());
        }
    }

    [Fact]
    public async Task No_key_or_an_unknown_key_gets_401_problem_details()
    {
        foreach (var key in new[] { null, "whs_not-a-real-key", "garbage" })
        {
            var response = await ClientWith(key).GetAsync("/api/v1/me");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Revoked_and_expired_keys_get_401()
    {
        var admin = ClientWith(await Factory.CreateApiKeyAsync("Admin"));
        var created = await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "CRM", role = "editor" });
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var key = body.GetProperty("key").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await ClientWith(key).GetAsync("/api/v1/me")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/api-keys/{body.GetProperty("id").GetInt32()}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ClientWith(key).GetAsync("/api/v1/me")).StatusCode);

        var expiring = await Factory.CreateApiKeyAsync("Editor", Clock.GetUtcNow().UtcDateTime.AddHours(1));
        Clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(HttpStatusCode.OK, (await ClientWith(expiring).GetAsync("/api/v1/me")).StatusCode);
        Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await ClientWith(expiring).GetAsync("/api/v1/me")).StatusCode);
    }

    [Theory]
    [InlineData("Tester")]
    [InlineData("Editor")]
    public async Task Keys_below_admin_cannot_manage_keys(string role)
    {
        var response = await ClientWith(await Factory.CreateApiKeyAsync(role)).PostAsJsonAsync("/api/v1/api-keys", new { name = "x", role = "tester" });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Creating_a_key_answers_201_with_location_and_the_key_once()
    {
        var admin = ClientWith(await Factory.CreateApiKeyAsync("Admin"));
        var response = await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "Zapier", role = "tester", expiresAt = DateTime.UtcNow.AddDays(30) });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"/api/v1/api-keys/{body.GetProperty("id").GetInt32()}", response.Headers.Location?.OriginalString);
        Assert.StartsWith("whs_", body.GetProperty("key").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("Z", body.GetProperty("expiresAt").GetString(), StringComparison.Ordinal);

        var list = await admin.GetFromJsonAsync<JsonElement>("/api/v1/api-keys");
        Assert.Equal(2, list.GetProperty("total").GetInt32());
        var listed = list.GetProperty("items").EnumerateArray().Single(k => k.GetProperty("name").GetString() == "Zapier");
        Assert.False(listed.TryGetProperty("key", out _));
        Assert.False(listed.TryGetProperty("hash", out _));
    }

    [Fact]
    public async Task Invalid_key_requests_get_400_with_an_errors_map_per_field()
    {
        var admin = ClientWith(await Factory.CreateApiKeyAsync("Admin"));
        var response = await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "", role = "owner", expiresAt = DateTime.UtcNow.AddDays(-1) });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("name", out _));
        Assert.True(errors.TryGetProperty("role", out _));
        Assert.True(errors.TryGetProperty("expiresAt", out _));
    }

    [Fact]
    public async Task The_key_is_stored_only_as_a_hash()
    {
        var key = await Factory.CreateApiKeyAsync("Editor");
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var files = Directory.EnumerateFiles(Factory.DataDirectory, "studio.db*").Select(File.ReadAllBytes);
        var secret = System.Text.Encoding.UTF8.GetBytes(key);
        Assert.DoesNotContain(files, bytes => bytes.AsSpan().IndexOf(secret) >= 0);
    }

    [Fact]
    public async Task The_openapi_document_needs_sign_in_and_lists_the_api()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await Factory.CreateClient().GetAsync("/openapi/v1.json")).StatusCode);
        var document = await ClientWith(await Factory.CreateApiKeyAsync("Tester")).GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/v1/me", out _));
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/v1/api-keys", out _));
    }
}
