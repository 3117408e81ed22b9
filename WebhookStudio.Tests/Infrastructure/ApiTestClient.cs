using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookStudio.Data;

namespace WebhookStudio.Tests.Infrastructure;

/// <summary>
/// The REST API as a caller with one API key sees it, plus the receiver as a sender sees it (no key).
/// Helpers assert the status they expect, and show the body when it differs, so a failing setup step
/// says what the app answered rather than failing later on a missing property.
/// </summary>
public sealed class ApiTestClient
{
    public const string V1 = "/api/v1";

    private ApiTestClient(StudioFactory factory, string? key)
    {
        Factory = factory;
        Http = factory.CreateClient();
        if (key is not null)
            Http.DefaultRequestHeaders.Add("X-Api-Key", key);
    }

    public StudioFactory Factory { get; }

    public HttpClient Http { get; }

    public static async Task<ApiTestClient> ForRoleAsync(StudioFactory factory, string role) =>
        new(factory, await factory.CreateApiKeyAsync(role));

    public static ApiTestClient Anonymous(StudioFactory factory) => new(factory, null);

    // ---- Sources ----

    public async Task<JsonElement> CreateSourceAsync(string name = "Stripe invoices", string? app = null)
    {
        var response = await Http.PostAsJsonAsync($"{V1}/sources", new { name, app });
        return await ExpectAsync(response, HttpStatusCode.Created);
    }

    /// <summary>A source that processes what it receives: the mapping is saved and the live stream is on.</summary>
    public async Task<JsonElement> CreateLiveSourceAsync(string entityPath, string idPath, string? titlePath = null, string name = "Live source")
    {
        var source = await CreateSourceAsync(name);
        return await PatchSourceAsync(Id(source), new { entityPath, idPath, titlePath, liveStream = true });
    }

    public Task<HttpResponseMessage> PatchAsync(int sourceId, object patch) =>
        Http.PatchAsync($"{V1}/sources/{sourceId}", JsonContent.Create(patch));

    /// <summary>PATCH with a raw JSON body, for bodies an anonymous object cannot express exactly.</summary>
    public Task<HttpResponseMessage> PatchRawAsync(int sourceId, string json) =>
        Http.PatchAsync($"{V1}/sources/{sourceId}", new StringContent(json, Encoding.UTF8, "application/json"));

    public async Task<JsonElement> PatchSourceAsync(int sourceId, object patch) =>
        await ExpectAsync(await PatchAsync(sourceId, patch), HttpStatusCode.OK);

    public async Task<JsonElement> GetSourceAsync(int sourceId) =>
        await ExpectAsync(await Http.GetAsync($"{V1}/sources/{sourceId}"), HttpStatusCode.OK);

    // ---- Payloads ----

    /// <summary>What a third-party sender does: POST to the receiver URL, without any API key.</summary>
    public async Task<HttpResponseMessage> SendAsync(string receiverUrl, byte[] body, string contentType = "application/json",
                                                     IReadOnlyDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, receiverUrl) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            request.Headers.TryAddWithoutValidation(name, value);
        using var sender = Factory.CreateClient();
        return await sender.SendAsync(request);
    }

    /// <summary>Sends a payload that must be accepted (202) and answers its id.</summary>
    public async Task<long> SendAcceptedAsync(JsonElement source, string json, IReadOnlyDictionary<string, string>? headers = null) =>
        await SendAcceptedAsync(source, Encoding.UTF8.GetBytes(json), headers);

    public async Task<long> SendAcceptedAsync(JsonElement source, byte[] body, IReadOnlyDictionary<string, string>? headers = null)
    {
        var accepted = await ExpectAsync(await SendAsync(ReceiverUrl(source), body, headers: headers), HttpStatusCode.Accepted);
        return accepted.GetProperty("payloadId").GetInt64();
    }

    public async Task<JsonElement> GetPayloadAsync(int sourceId, long payloadId) =>
        await ExpectAsync(await Http.GetAsync($"{V1}/sources/{sourceId}/payloads/{payloadId}"), HttpStatusCode.OK);

    /// <summary>Waits until the processor has given the payload its outcome; answers the payload detail.</summary>
    public Task<JsonElement> WaitForOutcomeAsync(int sourceId, long payloadId) =>
        Eventually.Until(() => GetPayloadAsync(sourceId, payloadId),
            detail => Outcome(detail) != "pending",
            $"payload #{payloadId} to be processed");

    /// <summary>Sends a payload and waits for its outcome.</summary>
    public async Task<JsonElement> SendAndWaitAsync(JsonElement source, string json, IReadOnlyDictionary<string, string>? headers = null)
    {
        var payloadId = await SendAcceptedAsync(source, json, headers);
        return await WaitForOutcomeAsync(Id(source), payloadId);
    }

    // ---- Whole flows, for the receiver and pipeline tests ----

    public sealed record CreatedSource(int Id, string Token);

    /// <summary>Creates a source and applies <paramref name="patch"/> (mapping, filter, live stream…) when given.</summary>
    public async Task<CreatedSource> SetUpSourceAsync(string name, string app = "custom", object? patch = null)
    {
        var source = await CreateSourceAsync(name, app);
        if (patch is not null)
            await PatchSourceAsync(Id(source), patch);
        return new CreatedSource(Id(source), source.GetProperty("token").GetString()!);
    }

    /// <summary>Posts a text body to a source's receiver, as a sender would, whatever the answer.</summary>
    public Task<HttpResponseMessage> PostHookAsync(string token, string body, string contentType = "application/json",
                                                   IReadOnlyDictionary<string, string>? headers = null) =>
        SendAsync($"/hooks/{token}", Encoding.UTF8.GetBytes(body), contentType, headers);

    public async Task<JsonObject> GetJsonAsync(string path) => (await Http.GetFromJsonAsync<JsonObject>(path))!;

    /// <summary>Waits until the source has no pending payload, then returns its payloads (newest first).</summary>
    public async Task<JsonArray> SettledPayloadsAsync(int sourceId)
    {
        await Eventually.Until(() => GetJsonAsync($"{V1}/sources/{sourceId}"), s => (int)s["pendingPayloads"]! == 0,
            $"source {sourceId} to have no pending payload", TimeSpan.FromSeconds(15));
        return (JsonArray)(await GetJsonAsync($"{V1}/sources/{sourceId}/payloads?pageSize=500"))["items"]!;
    }

    public async Task<JsonArray> ItemsAsync(int sourceId) =>
        (JsonArray)(await GetJsonAsync($"{V1}/items?sourceId={sourceId}&pageSize=500&sort=external_id_asc"))["items"]!;

    // ---- Items ----

    public async Task<JsonElement> ListItemsAsync(string query) =>
        await ExpectAsync(await Http.GetAsync($"{V1}/items?{query}"), HttpStatusCode.OK);

    public async Task<JsonElement> GetItemAsync(long itemId) =>
        await ExpectAsync(await Http.GetAsync($"{V1}/items/{itemId}"), HttpStatusCode.OK);

    /// <summary>The one item of a source with this external id.</summary>
    public async Task<JsonElement> FindItemAsync(int sourceId, string externalId)
    {
        var list = await ListItemsAsync($"sourceId={sourceId}&search={Uri.EscapeDataString(externalId)}");
        return list.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("externalId").GetString() == externalId);
    }

    // ---- Subscriptions and connectors ----

    public Task<HttpResponseMessage> PostSubscriptionAsync(object body) => Http.PostAsJsonAsync($"{V1}/subscriptions", body);

    /// <summary>Creates a subscription (201) and answers it, with its one-time <c>signingSecret</c>.</summary>
    public async Task<JsonElement> CreateSubscriptionAsync(object body) =>
        await ExpectAsync(await PostSubscriptionAsync(body), HttpStatusCode.Created);

    /// <summary>
    /// Points a saved subscription at <paramref name="url"/> behind the form's back, as when its host's address changed
    /// after it was saved: the sender's own check is then the one that refuses it.
    /// </summary>
    public async Task RepointSubscriptionAsync(int id, string url)
    {
        await using var db = await Factory.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContextAsync();
        Assert.Equal(1, await db.Subscriptions.Where(s => s.Id == id).ExecuteUpdateAsync(set => set.SetProperty(s => s.Url, url)));
    }

    public async Task<JsonElement> GetSubscriptionAsync(int id) =>
        await ExpectAsync(await Http.GetAsync($"{V1}/subscriptions/{id}"), HttpStatusCode.OK);

    public Task<HttpResponseMessage> ExampleResponseAsync(int subscriptionId, object? body = null) =>
        Http.PostAsJsonAsync($"{V1}/subscriptions/{subscriptionId}/example", body ?? new { });

    /// <summary>What the subscription would send (200): <c>{event, fromSample, itemId, request: {method, url, headers, body}}</c>.</summary>
    public async Task<JsonElement> ExampleAsync(int subscriptionId, object? body = null) =>
        await ExpectAsync(await ExampleResponseAsync(subscriptionId, body), HttpStatusCode.OK);

    /// <summary>Sends now (200): <c>{deliveryId, succeeded, failure, error, request, response: {status, body…}, mapping}</c>.</summary>
    public async Task<JsonElement> TestSubscriptionAsync(int subscriptionId, object? body = null) =>
        await ExpectAsync(await Http.PostAsJsonAsync($"{V1}/subscriptions/{subscriptionId}/test", body ?? new { }), HttpStatusCode.OK);

    public async Task<JsonElement> CreateConnectorAsync(object body) =>
        await ExpectAsync(await Http.PostAsJsonAsync($"{V1}/connectors", body), HttpStatusCode.Created);

    /// <summary>The example's header value by name (case-insensitive), or null.</summary>
    public static string? RequestHeader(JsonElement request, string name) =>
        request.GetProperty("headers").EnumerateArray()
            .Where(h => string.Equals(h.GetProperty("name").GetString(), name, StringComparison.OrdinalIgnoreCase))
            .Select(h => h.GetProperty("value").GetString()).FirstOrDefault();

    // ---- Reading answers ----

    public static int Id(JsonElement source) => source.GetProperty("id").GetInt32();

    public static string ReceiverUrl(JsonElement source) => source.GetProperty("receiverUrl").GetString()!;

    public static string? Outcome(JsonElement payloadDetail) => payloadDetail.GetProperty("payload").GetProperty("outcome").GetString();

    /// <summary>Asserts the status and answers the JSON body (a copy that outlives the response).</summary>
    public static async Task<JsonElement> ExpectAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        ArgumentNullException.ThrowIfNull(response);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status} {status}, got {(int)response.StatusCode} {response.StatusCode}: {text}");
        if (text.Length == 0)
            return default;
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>Asserts a ProblemDetails answer with this status; answers the problem.</summary>
    public static async Task<JsonElement> ExpectProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var problem = await ExpectAsync(response, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    /// <summary>Asserts a 400 whose <c>errors</c> map names <paramref name="field"/>; answers that field's messages.</summary>
    public static async Task<string> ExpectValidationErrorAsync(HttpResponseMessage response, string field)
    {
        var problem = await ExpectProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages),
            $"Expected an error for '{field}', got: {errors.GetRawText()}");
        var text = string.Join(" ", messages.EnumerateArray().Select(m => m.GetString()));
        Assert.False(string.IsNullOrWhiteSpace(text));
        return text;
    }

    /// <summary>The GitHub signature of a body: <c>sha256=</c> and the hex HMAC-SHA256 with the secret.</summary>
    public static string GitHubSignature(string secret, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
}
