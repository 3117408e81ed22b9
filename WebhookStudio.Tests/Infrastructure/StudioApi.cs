using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WebhookStudio.Tests.Infrastructure;

/// <summary>An Admin API client with the few calls most inbound tests need.</summary>
public sealed class StudioApiClient(HttpClient client)
{
    public HttpClient Http { get; } = client;

    public static async Task<StudioApiClient> CreateAsync(StudioFactory factory)
    {
        var http = factory.CreateClient();
        http.DefaultRequestHeaders.Add("X-Api-Key", await factory.CreateApiKeyAsync("Admin"));
        return new StudioApiClient(http);
    }

    public sealed record CreatedSource(int Id, string Token);

    /// <summary>Creates a source and applies <paramref name="patch"/> (a JSON object) when given.</summary>
    public async Task<CreatedSource> CreateSourceAsync(string name, string app = "custom", object? patch = null)
    {
        var created = await Http.PostAsJsonAsync("/api/v1/sources", new { name, app });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var source = new CreatedSource(body.GetProperty("id").GetInt32(), body.GetProperty("token").GetString()!);
        if (patch is not null)
        {
            var patched = await Http.PatchAsJsonAsync($"/api/v1/sources/{source.Id}", patch);
            Assert.True(patched.IsSuccessStatusCode, await patched.Content.ReadAsStringAsync());
        }
        return source;
    }

    public Task<HttpResponseMessage> PostHookAsync(string token, string body, string contentType = "application/json", IDictionary<string, string>? headers = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/hooks/{token}") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            request.Headers.TryAddWithoutValidation(name, value);
        return Http.SendAsync(request);
    }

    public async Task<JsonObject> GetJsonAsync(string path) => (await Http.GetFromJsonAsync<JsonObject>(path))!;

    /// <summary>Waits until the source has no pending payload, then returns its payloads (newest first).</summary>
    public async Task<JsonArray> SettledPayloadsAsync(int sourceId)
    {
        await Eventually.Until(() => GetJsonAsync($"/api/v1/sources/{sourceId}"), s => (int)s["pendingPayloads"]! == 0, $"source {sourceId} to have no pending payload", TimeSpan.FromSeconds(15));
        return (JsonArray)(await GetJsonAsync($"/api/v1/sources/{sourceId}/payloads?pageSize=500"))["items"]!;
    }

    public async Task<JsonArray> ItemsAsync(int sourceId) =>
        (JsonArray)(await GetJsonAsync($"/api/v1/items?sourceId={sourceId}&pageSize=500&sort=external_id_asc"))["items"]!;
}
