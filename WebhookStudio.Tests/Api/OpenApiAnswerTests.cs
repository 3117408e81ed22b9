using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using WebhookStudio.Tests.Deliveries;
using WebhookStudio.Tests.Infrastructure;
using static WebhookStudio.Tests.Infrastructure.ApiTestClient;

namespace WebhookStudio.Tests.Api;

/// <summary>
/// The API answers what its OpenAPI document says: over a studio with realistic data (sources with and without a
/// filter, items with history, subscriptions with and without a condition, delivered and failed deliveries, bins,
/// connectors, tester history and collections), every operation of the document is called, and each body is
/// validated against the schema documented for its status.
/// </summary>
public sealed class OpenApiAnswerTests(SharedStudio shared) : DeliveryTestBase(shared)
{
    private OpenApiContract contract = default!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        contract = await OpenApiContract.LoadAsync(Api.Http);
    }

    [Fact]
    public async Task Every_operation_answers_as_documented()
    {
        // Sources: the live Orders source (no filter) and one with a filter and verification.
        var filtered = await Call(HttpMethod.Post, "/sources", new { name = "Stripe invoices", app = "stripe" }, HttpStatusCode.Created);
        var filteredId = Id(filtered);
        await Call(HttpMethod.Patch, $"/sources/{filteredId}", new
        {
            entityPath = "$.data.object", idPath = "id", liveStream = true,
            filter = new { all = new object[] { new { path = "$.type", op = "equals", value = "invoice.paid" } } },
            verification = new { kind = "shared_secret_header", secret = "a-long-shared-secret", headerName = "X-Token" },
            dedupKey = "$.id", retentionDays = 30,
        }, HttpStatusCode.OK);
        await Call(HttpMethod.Post, $"/sources/{filteredId}/preview", new
        {
            payload = new { type = "invoice.paid", data = new { @object = new { id = "in_1" } } }, entityPath = "$.data.object", idPath = "id",
            filter = new { any = new object[] { new { path = "$.type", op = "exists" } } },
        }, HttpStatusCode.OK);
        await Call(HttpMethod.Post, $"/sources/{Orders.Id}/preview", new { payload = new { id = "P-1", status = "new" }, idPath = "id" }, HttpStatusCode.OK);
        await Call(HttpMethod.Post, $"/sources/{filteredId}/pause", null, HttpStatusCode.OK);
        await Call(HttpMethod.Post, $"/sources/{filteredId}/resume", null, HttpStatusCode.OK);
        await Call(HttpMethod.Post, $"/sources/{filteredId}/sample", null, HttpStatusCode.OK);

        // Subscriptions: one with a condition to the sink, one without to a port nothing listens on (it fails, no response headers).
        var subscriptionId = await SubscribeAsync(new { condition = new { all = new object[] { new { path = "$.status", op = "exists" } } } });
        var failingId = Id(await Call(HttpMethod.Post, "/subscriptions", new
        {
            app = "crm", @event = "item.created", url = "http://127.0.0.1:9/closed", sourceId = Orders.Id, maxAttempts = 1,
        }, HttpStatusCode.Created));

        // The receiver, as a sender sees it: stored, or refused with a ProblemDetails.
        using (var stored = await Api.PostHookAsync(Orders.Token, """{"id": "A-0999", "status": "draft"}"""))
        {
            Assert.Equal(HttpStatusCode.Accepted, stored.StatusCode);
            await contract.AssertMatchesAsync(stored);
        }
        using (var unknown = await Api.PostHookAsync("no-such-token", "{}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            await contract.AssertMatchesAsync(unknown);
        }
        // Apps' checks of the URL: Dropbox's GET challenge and Trello's HEAD are answered; a custom source is told to POST.
        var dropbox = Id(await Call(HttpMethod.Post, "/sources", new { name = "Dropbox files", app = "dropbox" }, HttpStatusCode.Created));
        var trello = await Call(HttpMethod.Post, "/sources", new { name = "Trello cards", app = "trello" }, HttpStatusCode.Created);
        var dropboxToken = (await Api.GetSourceAsync(dropbox)).GetProperty("token").GetString();
        using (var challenge = await Api.Http.GetAsync($"/hooks/{dropboxToken}?challenge=abc-123"))
        {
            Assert.Equal(HttpStatusCode.OK, challenge.StatusCode);
            await contract.AssertMatchesAsync(challenge);
        }
        using (var head = await Api.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/hooks/{trello.GetProperty("token").GetString()}")))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            await contract.AssertMatchesAsync(head);
        }
        using (var notClaimed = await Api.Http.GetAsync($"/hooks/{Orders.Token}"))
        {
            Assert.Equal(HttpStatusCode.MethodNotAllowed, notClaimed.StatusCode);
            await contract.AssertMatchesAsync(notClaimed);
        }
        await SendOrderAsync("A-1001", "new", new { customer = "Ada", total = 42.5 });
        await SendOrderAsync("A-1001", "paid", new { customer = "Ada", total = 42.5 });
        await WaitForDeliveriesAsync(subscriptionId, d => All(d, 3, "delivered"), "three delivered deliveries");
        var orderPayload = (await Api.SettledPayloadsAsync(Orders.Id))[0]!["id"]!.GetValue<long>();
        await Call(HttpMethod.Post, $"/sources/{Orders.Id}/verification/check", new
        {
            payloadId = orderPayload, verification = new { kind = "custom_hmac", secret = "a-long-shared-secret", headerName = "X-Signature" },
        }, HttpStatusCode.OK);
        await WaitForDeliveriesAsync(failingId, d => All(d, 2, "failed"), "two failed deliveries");
        var itemId = (await Api.FindItemAsync(Orders.Id, "A-1001")).GetProperty("id").GetInt64();
        var payloadId = (long)(await Api.SettledPayloadsAsync(Orders.Id))[0]!["id"]!;
        var deliveryId = (long)(await DeliveriesAsync($"subscriptionId={subscriptionId}"))[0]!["id"]!;
        var failedId = (long)(await DeliveriesAsync($"subscriptionId={failingId}"))[0]!["id"]!;

        await Call(HttpMethod.Patch, $"/subscriptions/{subscriptionId}", new { name = "CRM orders", headers = new Dictionary<string, string> { ["X-Source"] = "studio" } }, HttpStatusCode.OK);
        await Call(HttpMethod.Post, $"/subscriptions/{subscriptionId}/example", new { itemId }, HttpStatusCode.OK);
        await Call(HttpMethod.Post, $"/subscriptions/{subscriptionId}/test", new { itemId }, HttpStatusCode.OK);
        await Call(HttpMethod.Post, $"/subscriptions/{subscriptionId}/rotate-secret", null, HttpStatusCode.OK);
        var copyId = Id(await Call(HttpMethod.Post, $"/subscriptions/{subscriptionId}/duplicate", null, HttpStatusCode.Created));
        await Call(HttpMethod.Delete, $"/subscriptions/{copyId}", null, HttpStatusCode.NoContent);
        await Call(HttpMethod.Get, "/subscriptions/deleted", null, HttpStatusCode.OK);
        await Call(HttpMethod.Post, $"/subscriptions/{copyId}/restore", null, HttpStatusCode.OK);
        await Call(HttpMethod.Post, $"/subscriptions/{copyId}/deactivate", new { reason = "Maintenance" }, HttpStatusCode.OK);
        await Call(HttpMethod.Post, $"/subscriptions/{copyId}/activate?replayEvents=false", null, HttpStatusCode.OK);
        await Call(HttpMethod.Post, $"/deliveries/{failedId}/retry", null, HttpStatusCode.Accepted);
        await Call(HttpMethod.Post, $"/deliveries/{deliveryId}/retry", null, HttpStatusCode.Conflict);
        await Call(HttpMethod.Post, $"/deliveries/{deliveryId}/replay", null, HttpStatusCode.Created);

        // Connectors, bins, tester, users and keys.
        var connectorId = Id(await Call(HttpMethod.Post, "/connectors", new { name = "CRM token", kind = "bearer", secret = "crm-secret-token" }, HttpStatusCode.Created));
        await Call(HttpMethod.Put, $"/connectors/{connectorId}", new { name = "CRM bearer", kind = "bearer" }, HttpStatusCode.OK);
        await Call(HttpMethod.Patch, $"/subscriptions/{copyId}", new { connectorId }, HttpStatusCode.OK);
        await Call(HttpMethod.Delete, $"/connectors/{connectorId}", null, HttpStatusCode.Conflict);
        var bin = await Call(HttpMethod.Post, "/bins", new { name = "CRM test", response = new { status = 202, headers = new Dictionary<string, string> { ["X-Env"] = "test" }, body = "accepted" } }, HttpStatusCode.Created);
        var binId = Id(bin);
        await Call(HttpMethod.Patch, $"/bins/{binId}", new { name = "CRM staging" }, HttpStatusCode.OK);
        using (var binAnswer = await Api.Http.PutAsync(new Uri(bin.GetProperty("url").GetString()!).AbsolutePath + "/orders?x=1",
                   new StringContent("{\"hello\":1}", Encoding.UTF8, "application/json")))
            Assert.Equal(HttpStatusCode.Accepted, binAnswer.StatusCode);
        var binRequestId = (long)(await Api.GetJsonAsync($"{V1}/bins/{binId}/requests"))["items"]![0]!["id"]!;
        await Call(HttpMethod.Post, "/tester/send", new { method = "POST", url = Sink.Url("/tester"), body = "{}", contentType = "application/json" }, HttpStatusCode.OK);
        var historyId = (long)(await Api.GetJsonAsync($"{V1}/tester/history"))["items"]![0]!["id"]!;
        var collectionId = Id(await Call(HttpMethod.Post, "/tester/collections", new { name = "CRM checks", description = "Before each release" }, HttpStatusCode.Created));
        var savedId = Id(await Call(HttpMethod.Post, $"/tester/collections/{collectionId}/requests",
            new { name = "Ping", request = new { method = "GET", url = "https://crm.example.com/ping", connectorId } }, HttpStatusCode.Created));
        await Call(HttpMethod.Put, $"/tester/collections/{collectionId}/requests/{savedId}",
            new { name = "Ping CRM", request = new { method = "HEAD", url = "https://crm.example.com/ping" } }, HttpStatusCode.OK);
        await Call(HttpMethod.Put, $"/tester/collections/{collectionId}", new { name = "CRM smoke tests" }, HttpStatusCode.OK);
        var userId = (await Call(HttpMethod.Post, "/users", new { email = "tess@example.com", password = "tester-pass-1", role = "tester" }, HttpStatusCode.Created)).GetProperty("id").GetString();
        await Call(HttpMethod.Patch, $"/users/{userId}", new { role = "editor" }, HttpStatusCode.OK);
        var apiKeyId = Id(await Call(HttpMethod.Post, "/api-keys", new { name = "CI", role = "editor" }, HttpStatusCode.Created));
        await Call(HttpMethod.Put, $"/subscriptions/{failingId}",
            new { app = "crm", @event = "item.created", url = "http://127.0.0.1:9/closed", sourceId = Orders.Id, maxAttempts = 1 }, HttpStatusCode.OK);
        await Call(HttpMethod.Post, $"/subscriptions/{failingId}/replay-failed", null, HttpStatusCode.OK);

        // Every GET, with the data above.
        foreach (var path in new[]
        {
            "/me", "/api-keys", "/users", "/apps", "/apps?search=stripe",
            "/sources", "/sources?page=1&pageSize=10", $"/sources/{Orders.Id}", $"/sources/{filteredId}",
            $"/sources/{Orders.Id}/payloads", $"/sources/{Orders.Id}/payloads/{payloadId}", $"/sources/{filteredId}/payloads?outcome=processed",
            $"/sources/{Orders.Id}/rejections",
            "/items", $"/items?sourceId={Orders.Id}&sort=title_asc", $"/items/{itemId}",
            "/connectors", $"/connectors/{connectorId}",
            "/subscriptions", $"/subscriptions/{subscriptionId}", $"/subscriptions/{failingId}", $"/subscriptions/variables?sourceId={Orders.Id}",
            $"/subscriptions/{subscriptionId}/delivery-health",
            "/deliveries", $"/deliveries?subscriptionId={failingId}", "/deliveries/counts", $"/deliveries/{deliveryId}", $"/deliveries/{failedId}",
            "/notifications", "/notifications?unread=true",
            "/bins", $"/bins/{binId}", $"/bins/{binId}/requests", $"/bins/{binId}/requests/{binRequestId}",
            "/tester/history", $"/tester/history/{historyId}", $"/tester/prefill/source/{Orders.Id}",
            $"/tester/prefill/subscription/{subscriptionId}?itemId={itemId}",
            "/tester/collections", $"/tester/collections/{collectionId}", $"/tester/collections/{collectionId}/export",
        })
            await Call(HttpMethod.Get, path, null, HttpStatusCode.OK);

        // Errors are documented ProblemDetails too.
        await Call(HttpMethod.Get, "/sources/999999", null, HttpStatusCode.NotFound);
        await Call(HttpMethod.Get, "/sources?pageSize=0", null, HttpStatusCode.BadRequest);
        await Call(HttpMethod.Post, "/subscriptions", new { app = "crm" }, HttpStatusCode.BadRequest);

        // Writes that end things, last.
        var exported = await Api.Http.GetStringAsync($"{V1}/tester/collections/{collectionId}/export");
        await Call(HttpMethod.Post, "/tester/collections/import", JsonDocument.Parse(exported).RootElement, HttpStatusCode.Created);
        await Call(HttpMethod.Delete, $"/tester/collections/{collectionId}/requests/{savedId}", null, HttpStatusCode.NoContent);
        await Call(HttpMethod.Delete, "/tester/history", null, HttpStatusCode.NoContent);
        await Call(HttpMethod.Post, "/notifications/999999/read", null, HttpStatusCode.NotFound);
        await Call(HttpMethod.Delete, $"/api-keys/{apiKeyId}", null, HttpStatusCode.NoContent);
        await Call(HttpMethod.Delete, $"/bins/{binId}/requests", null, HttpStatusCode.OK);
        await Call(HttpMethod.Delete, $"/tester/collections/{collectionId}", null, HttpStatusCode.NoContent);
        await Call(HttpMethod.Post, $"/sources/{filteredId}/rotate-token", null, HttpStatusCode.OK);
        await Call(HttpMethod.Post, $"/sources/{Orders.Id}/reprocess", new { since = DateTime.UtcNow.AddHours(-1) }, HttpStatusCode.Accepted);
        await Call(HttpMethod.Delete, $"/items/{itemId}", null, HttpStatusCode.NoContent);
        await Call(HttpMethod.Delete, $"/bins/{binId}", null, HttpStatusCode.NoContent);
        await Call(HttpMethod.Delete, $"/sources/{filteredId}", null, HttpStatusCode.NoContent);

        // A new endpoint fails here until this test calls it with realistic data.
        var missed = contract.Operations.Except(contract.Checked).Select(o => $"{o.Method.ToUpperInvariant()} {o.Template}").ToList();
        Assert.True(missed.Count == 0, "Operations this test does not call yet: " + string.Join(", ", missed));
    }

    [Fact]
    public void An_answer_that_breaks_its_schema_fails_with_the_pointer_and_the_reason()
    {
        var broken = Assert.ThrowsAny<Exception>(() => contract.AssertMatches("GET", $"{V1}/sources/7", 200, "application/json",
            """{"id": "seven", "name": "Orders"}"""));
        Assert.Contains("GET /api/v1/sources/{id} answering 200", broken.Message, StringComparison.Ordinal);
        Assert.Contains("at /id", broken.Message, StringComparison.Ordinal);

        var undocumented = Assert.ThrowsAny<Exception>(() => contract.AssertMatches("GET", $"{V1}/sources/7", 418, "application/json", "{}"));
        Assert.Contains("no 418 response", undocumented.Message, StringComparison.Ordinal);
    }

    /// <summary>Calls <c>/api/v1{path}</c>, asserts the status and that the answer matches the document; answers the body.</summary>
    private async Task<JsonElement> Call(HttpMethod method, string path, object? body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, V1 + path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await Api.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {path}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return await contract.AssertMatchesAsync(response);
    }
}
