using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using WebhookStudio.Tests.Infrastructure;
using static WebhookStudio.Tests.Infrastructure.ApiTestClient;

namespace WebhookStudio.Tests.Tester;

/// <summary>/api/v1/tester/collections: CRUD by any role, export/import round trip, bad imports named by place.</summary>
public sealed class CollectionApiTests(SharedStudio shared) : ApiTestBase(shared)
{
    private const string Collections = $"{V1}/tester/collections";

    [Fact]
    public async Task A_tester_creates_saves_renames_and_deletes_and_hand_typed_secrets_are_stored_masked()
    {
        var tester = await ForRoleAsync(Factory, "Tester");
        var created = await ExpectAsync(await tester.Http.PostAsJsonAsync(Collections, new { name = "CRM smoke tests" }), HttpStatusCode.Created);
        var id = Id(created);
        var saved = await ExpectAsync(await tester.Http.PostAsJsonAsync($"{Collections}/{id}/requests", new
        {
            name = "Ping",
            request = new { method = "post", url = "https://crm.example.com/ping", headers = new[] { new { name = "X-Api-Key", value = "typed-key-abcdefghijkl" } }, body = "{}" },
        }), HttpStatusCode.Created);
        Assert.Equal("POST", saved.GetProperty("request").GetProperty("method").GetString());
        Assert.Equal("••••ijkl", RequestHeader(saved.GetProperty("request"), "X-Api-Key"));

        await ExpectAsync(await tester.Http.PutAsJsonAsync($"{Collections}/{id}", new { name = "CRM checks", description = "Before each release" }), HttpStatusCode.OK);
        var shared = await ExpectAsync(await Api.Http.GetAsync($"{Collections}/{id}"), HttpStatusCode.OK);
        Assert.Equal("CRM checks", shared.GetProperty("name").GetString());
        Assert.Equal("Ping", Assert.Single(shared.GetProperty("requests").EnumerateArray()).GetProperty("name").GetString());

        await ExpectValidationErrorAsync(await tester.Http.PostAsJsonAsync(Collections, new { name = " " }), "name");
        await ExpectValidationErrorAsync(await tester.Http.PostAsJsonAsync($"{Collections}/{id}/requests", new { name = "x", request = new { method = "GET", url = "nope" } }), "url");
        await ExpectProblemAsync(await tester.Http.PostAsJsonAsync($"{Collections}/999/requests", new { name = "x", request = new { method = "GET", url = "https://a.example" } }), HttpStatusCode.NotFound);

        Assert.Equal(HttpStatusCode.NoContent, (await tester.Http.DeleteAsync($"{Collections}/{id}/requests/{Id(saved)}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await tester.Http.DeleteAsync($"{Collections}/{id}")).StatusCode);
        await ExpectProblemAsync(await tester.Http.GetAsync($"{Collections}/{id}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Export_then_import_gives_the_same_requests_with_connectors_by_name()
    {
        var connector = await Api.CreateConnectorAsync(new { name = "CRM token", kind = "bearer", secret = "never-exported-secret" });
        var id = Id(await ExpectAsync(await Api.Http.PostAsJsonAsync(Collections, new { name = "Orders / v2", description = "Order API" }), HttpStatusCode.Created));
        await ExpectAsync(await Api.Http.PostAsJsonAsync($"{Collections}/{id}/requests", new
        {
            name = "Create order",
            request = new { method = "POST", url = "https://shop.example.com/orders?dry=1", headers = new[] { new { name = "X-Trace", value = "t1" } }, body = "{\"qty\":1}", contentType = "application/json", connectorId = Id(connector) },
        }), HttpStatusCode.Created);
        await ExpectAsync(await Api.Http.PostAsJsonAsync($"{Collections}/{id}/requests", new { name = "List", request = new { method = "GET", url = "https://shop.example.com/orders" } }), HttpStatusCode.Created);

        var export = await Api.Http.GetAsync($"{Collections}/{id}/export");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("orders-v2.collection.json", export.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var file = await export.Content.ReadAsStringAsync();
        Assert.DoesNotContain("never-exported-secret", file, StringComparison.Ordinal);
        var exported = JsonDocument.Parse(file).RootElement;
        Assert.Equal("webhook-studio/collection", exported.GetProperty("format").GetString());
        Assert.Equal("CRM token", exported.GetProperty("requests")[0].GetProperty("connector").GetString());

        var imported = await ExpectAsync(await Api.Http.PostAsync($"{Collections}/import", new StringContent(file, Encoding.UTF8, "application/json")), HttpStatusCode.Created);
        Assert.NotEqual(id, Id(imported));
        var original = await ExpectAsync(await Api.Http.GetAsync($"{Collections}/{id}"), HttpStatusCode.OK);
        static string Shape(JsonElement c) => string.Join("|", c.GetProperty("requests").EnumerateArray().Select(r =>
            $"{r.GetProperty("name")} {r.GetProperty("connectorName")} {r.GetProperty("request").GetRawText()}"));
        Assert.Equal(Shape(original), Shape(imported));
        Assert.Equal("Order API", imported.GetProperty("description").GetString());
    }

    [Theory]
    [InlineData("{ not json", "file", "line 1")]
    [InlineData("{\"format\":\"postman\",\"version\":1,\"name\":\"x\",\"requests\":[]}", "format", "webhook-studio/collection")]
    [InlineData("{\"format\":\"webhook-studio/collection\",\"version\":9,\"name\":\"x\",\"requests\":[]}", "version", "version 9")]
    [InlineData("{\"format\":\"webhook-studio/collection\",\"version\":1,\"name\":\"\",\"requests\":[]}", "name", "name")]
    [InlineData("{\"format\":\"webhook-studio/collection\",\"version\":1,\"name\":\"x\"}", "requests", "missing")]
    [InlineData("{\"format\":\"webhook-studio/collection\",\"version\":1,\"name\":\"x\",\"requests\":[{\"name\":\"a\",\"method\":\"GET\",\"url\":\"https://a.example\"},{\"name\":\"b\",\"method\":\"BREW\",\"url\":\"https://a.example\"}]}", "requests[1].method", "GET")]
    [InlineData("{\"format\":\"webhook-studio/collection\",\"version\":1,\"name\":\"x\",\"requests\":[{\"name\":\"a\",\"method\":\"GET\",\"url\":\"/relative\"}]}", "requests[0].url", "absolute")]
    [InlineData("{\"format\":\"webhook-studio/collection\",\"version\":1,\"name\":\"x\",\"requests\":[{\"name\":\"a\",\"method\":\"GET\",\"url\":\"https://a.example\",\"connector\":\"Nope\"}]}", "requests[0].connector", "Nope")]
    public async Task A_bad_import_is_refused_with_the_place_and_the_reason(string file, string field, string mentions)
    {
        var response = await Api.Http.PostAsync($"{Collections}/import", new StringContent(file, Encoding.UTF8, "application/json"));
        Assert.Contains(mentions, await ExpectValidationErrorAsync(response, field), StringComparison.Ordinal);
        var list = await ExpectAsync(await Api.Http.GetAsync(Collections), HttpStatusCode.OK);
        Assert.Equal(0, list.GetProperty("total").GetInt32());
    }
}
