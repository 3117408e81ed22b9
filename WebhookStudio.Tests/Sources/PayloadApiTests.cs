using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WebhookStudio.Tests.Infrastructure;
using static WebhookStudio.Tests.Infrastructure.ApiTestClient;

namespace WebhookStudio.Tests.Sources;

/// <summary>/api/v1/sources/{id}: preview, reprocess, and the received payloads.</summary>
public sealed class PayloadApiTests(SharedStudio shared) : SharedStudioTests(shared)
{
    private const string PaidFilter = """{"all":[{"path":"$.type","op":"equals","value":"invoice.paid"}]}""";

    private Task<ApiTestClient> Editor() => ApiTestClient.ForRoleAsync(Factory, "Editor");

    private Task<ApiTestClient> Tester() => ApiTestClient.ForRoleAsync(Factory, "Tester");

    private static string Stripe => SamplePayloads.Read("stripe-invoice-paid.json");

    private static Task<HttpResponseMessage> PreviewAsync(ApiTestClient client, int sourceId, string json) =>
        client.Http.PostAsync($"{V1}/sources/{sourceId}/preview", new StringContent(json, Encoding.UTF8, "application/json"));

    private static string StripePreview(string filter) => $$"""
        {"payload":{{Stripe}},"entityPath":"$.data.object","idPath":"id","titlePath":"customer_email","filter":{{filter}}}
        """;

    // ---- Preview ----

    [Fact]
    public async Task Preview_maps_an_inline_payload_and_says_whether_the_filter_passes()
    {
        var editor = await Editor();
        var id = Id(await editor.CreateSourceAsync());

        var passed = await ExpectAsync(await PreviewAsync(editor, id, StripePreview(PaidFilter)), HttpStatusCode.OK);
        Assert.True(passed.GetProperty("passed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, passed.GetProperty("reason").ValueKind);
        var entity = Assert.Single(passed.GetProperty("entities").EnumerateArray());
        Assert.Equal("in_1QxY2yAbCdEfGhIj", entity.GetProperty("externalId").GetString());
        Assert.Equal("jenny.rosen@example.com", entity.GetProperty("title").GetString());
        Assert.Equal(JsonValueKind.Null, entity.GetProperty("error").ValueKind);
        Assert.Equal(4900, entity.GetProperty("data").GetProperty("amount_paid").GetInt32());
        Assert.Equal("ACME-0042", entity.GetProperty("data").GetProperty("metadata").GetProperty("crm_account").GetString());

        var created = """{"all":[{"path":"$.type","op":"equals","value":"invoice.created"}]}""";
        var failed = await ExpectAsync(await PreviewAsync(editor, id, StripePreview(created)), HttpStatusCode.OK);
        Assert.False(failed.GetProperty("passed").GetBoolean());
        Assert.Equal("$.type equals \"invoice.created\" — was \"invoice.paid\"", failed.GetProperty("reason").GetString());

        // Without a filter every payload passes; an entity without the id says why it cannot become an item.
        var noId = await ExpectAsync(await PreviewAsync(editor, id, """{"payload":{"items":[{"id":"a","n":"A"},{"n":"B"}]},"entityPath":"$.items","idPath":"id","titlePath":"n"}"""), HttpStatusCode.OK);
        Assert.True(noId.GetProperty("passed").GetBoolean());
        var entities = noId.GetProperty("entities").EnumerateArray().ToList();
        Assert.Equal(2, entities.Count);
        Assert.Equal("a", entities[0].GetProperty("externalId").GetString());
        Assert.Equal("A", entities[0].GetProperty("title").GetString());
        Assert.Equal(JsonValueKind.Null, entities[1].GetProperty("externalId").ValueKind);
        Assert.Equal("B", entities[1].GetProperty("title").GetString());
        Assert.Contains("No value at id path", entities[1].GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preview_reads_an_inline_payload_as_the_pipeline_does()
    {
        var shopify = SamplePayloads.Read("shopify-orders-create.json");
        var editor = await Editor();
        var source = await editor.CreateLiveSourceAsync("$", "id", "name");
        var filter = """{"all":[{"path":"$.created_at","op":"starts_with","value":"2026-11-21T09:30:00-05:00"}]}""";

        var preview = await ExpectAsync(await PreviewAsync(editor, Id(source),
            $$"""{"payload":{{shopify}},"idPath":"id","titlePath":"name","filter":{{filter}}}"""), HttpStatusCode.OK);

        Assert.True(preview.GetProperty("passed").GetBoolean(), preview.GetProperty("reason").ToString());
        var entity = Assert.Single(preview.GetProperty("entities").EnumerateArray());
        Assert.Equal("820982911946154508", entity.GetProperty("externalId").GetString());
        Assert.Equal("820982911946154508", entity.GetProperty("data").GetProperty("id").GetRawText());
        Assert.Equal("2026-11-21T09:30:00-05:00", entity.GetProperty("data").GetProperty("created_at").GetString());

        // What the preview shows is exactly what the pipeline makes of the same payload.
        Assert.Equal("processed", Outcome(await editor.SendAndWaitAsync(source, shopify)));
        var item = await editor.FindItemAsync(Id(source), "820982911946154508");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(entity.GetProperty("data").GetRawText()), JsonNode.Parse(item.GetProperty("data").GetRawText())),
            $"Preview {entity.GetProperty("data").GetRawText()} differs from item {item.GetProperty("data").GetRawText()}");
    }

    [Fact]
    public async Task Preview_by_payload_id_uses_the_stored_payload()
    {
        var editor = await Editor();
        var source = await editor.CreateSourceAsync();
        var other = await editor.CreateSourceAsync("Other");
        var payloadId = await editor.SendAcceptedAsync(source, Stripe);
        var othersPayload = await editor.SendAcceptedAsync(other, Stripe);

        var preview = await ExpectAsync(await PreviewAsync(editor, Id(source),
            $$"""{"payloadId":{{payloadId}},"entityPath":"$.data.object","idPath":"id","titlePath":"customer_name","filter":{{PaidFilter}}}"""), HttpStatusCode.OK);
        Assert.True(preview.GetProperty("passed").GetBoolean());
        var entity = Assert.Single(preview.GetProperty("entities").EnumerateArray());
        Assert.Equal("in_1QxY2yAbCdEfGhIj", entity.GetProperty("externalId").GetString());
        Assert.Equal("Jenny Rosen", entity.GetProperty("title").GetString());

        foreach (var wrong in new[] { othersPayload, 987654 })
        {
            var message = await ExpectValidationErrorAsync(await PreviewAsync(editor, Id(source),
                $$"""{"payloadId":{{wrong}},"idPath":"id"}"""), "payloadId");
            Assert.Contains($"#{wrong}", message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("""{"payload":{"id":1},"idPath":"$.a["}""", "idPath")]
    [InlineData("""{"payload":{"id":1},"idPath":"id","entityPath":"$.data[?(@.x"}""", "entityPath")]
    [InlineData("""{"payload":{"id":1},"idPath":"id","titlePath":"$.a["}""", "titlePath")]
    [InlineData("""{"payload":{"id":1}}""", "idPath")]
    [InlineData("""{"idPath":"id"}""", "payload")]
    [InlineData("""{"payload":"just text","idPath":"id"}""", "payload")]
    [InlineData("""{"payload":null,"payloadId":null,"idPath":"id"}""", "payload")]
    [InlineData("""{"payload":{"id":1},"idPath":"id","filter":{"all":[{"path":"$.id","op":"matches","value":"(x"}]}}""", "filter.all[0].value")]
    [InlineData("""{"payload":{"id":1},"idPath":"id","filter":{"all":[{"path":"$.id","op":"nearly","value":"x"}]}}""", "filter")]
    public async Task Preview_with_invalid_input_is_400_for_that_field(string body, string field)
    {
        var editor = await Editor();
        var id = Id(await editor.CreateSourceAsync());

        await ExpectValidationErrorAsync(await PreviewAsync(editor, id, body), field);
    }

    [Fact]
    public async Task An_unreadable_preview_body_is_400_problem_details()
    {
        var editor = await Editor();
        var id = Id(await editor.CreateSourceAsync());

        await ExpectProblemAsync(await PreviewAsync(editor, id, """{"payload":{"id":1},"idPath":"""), HttpStatusCode.BadRequest);
        await ExpectProblemAsync(await PreviewAsync(editor, id, """{"payloadId":"first","idPath":"id"}"""), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Preview_of_an_unknown_source_is_404_and_needs_a_key()
    {
        var editor = await Editor();
        var id = Id(await editor.CreateSourceAsync());

        await ExpectProblemAsync(await PreviewAsync(editor, 4242, StripePreview(PaidFilter)), HttpStatusCode.NotFound);
        var anonymous = ApiTestClient.Anonymous(Factory);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PreviewAsync(anonymous, id, StripePreview(PaidFilter))).StatusCode);
    }

    [Fact]
    public async Task Testers_may_preview_and_a_preview_saves_nothing()
    {
        var editor = await Editor();
        var source = await editor.CreateSourceAsync();
        var id = Id(source);
        var tester = await Tester();

        var preview = await ExpectAsync(await PreviewAsync(tester, id, StripePreview(PaidFilter)), HttpStatusCode.OK);
        Assert.Equal("in_1QxY2yAbCdEfGhIj", preview.GetProperty("entities")[0].GetProperty("externalId").GetString());

        var after = await tester.GetSourceAsync(id);
        foreach (var field in new[] { "idPath", "titlePath", "filter" })
            Assert.Equal(JsonValueKind.Null, after.GetProperty(field).ValueKind);
        Assert.Equal("$", after.GetProperty("entityPath").GetString());
        Assert.Equal("awaiting_first_payload", after.GetProperty("status").GetString());
        Assert.Equal(source.GetProperty("updatedAt").GetString(), after.GetProperty("updatedAt").GetString());
        Assert.Equal(0, after.GetProperty("items").GetInt32());
        Assert.Equal(0, (await tester.ListItemsAsync("")).GetProperty("total").GetInt32());
        var payloads = await ExpectAsync(await tester.Http.GetAsync($"{V1}/sources/{id}/payloads"), HttpStatusCode.OK);
        Assert.Equal(0, payloads.GetProperty("total").GetInt32());
    }

    // ---- Reprocess ----

    [Fact]
    public async Task Reprocessing_runs_the_new_mapping_over_the_stored_payloads()
    {
        var editor = await Editor();
        var source = await editor.CreateSourceAsync();
        var id = Id(source);

        // Received before the source was set up: kept, not processed.
        var stored = await editor.SendAndWaitAsync(source, Stripe);
        Assert.Equal("stored", Outcome(stored));
        Assert.Equal(0, (await editor.ListItemsAsync($"sourceId={id}")).GetProperty("total").GetInt32());

        await editor.PatchSourceAsync(id, new { entityPath = "$.data.object", idPath = "id", titlePath = "customer_email" });
        var first = await ExpectAsync(await editor.Http.PostAsync($"{V1}/sources/{id}/reprocess", null), HttpStatusCode.Accepted);
        Assert.Equal(1, first.GetProperty("queued").GetInt32());
        var item = await Eventually.Until(() => editor.ListItemsAsync($"sourceId={id}"),
            list => list.GetProperty("total").GetInt32() == 1, "the stored payload to become an item");
        Assert.Equal("jenny.rosen@example.com", item.GetProperty("items")[0].GetProperty("title").GetString());

        // A changed mapping, run again over the same payload, changes the item.
        await editor.PatchSourceAsync(id, new { titlePath = "customer_name" });
        var second = await ExpectAsync(await editor.Http.PostAsJsonAsync($"{V1}/sources/{id}/reprocess", new { }), HttpStatusCode.Accepted);
        Assert.Equal(1, second.GetProperty("queued").GetInt32());
        var retitled = await Eventually.Until(() => editor.FindItemAsync(id, "in_1QxY2yAbCdEfGhIj"),
            i => i.GetProperty("title").GetString() == "Jenny Rosen", "the item to take the new title");
        Assert.Equal(2, retitled.GetProperty("version").GetInt32());

        var payload = await editor.WaitForOutcomeAsync(id, stored.GetProperty("payload").GetProperty("id").GetInt64());
        Assert.Equal("processed", Outcome(payload));
        Assert.Equal(1, payload.GetProperty("payload").GetProperty("updated").GetInt32());
    }

    [Fact]
    public async Task Reprocessing_since_a_time_queues_only_what_was_received_from_then()
    {
        var editor = await Editor();
        var source = await editor.CreateSourceAsync();
        var id = Id(source);
        var older = await editor.SendAndWaitAsync(source, """{"id":"older"}""");
        var newer = await editor.SendAndWaitAsync(source, """{"id":"newer"}""");
        var newerAt = newer.GetProperty("payload").GetProperty("receivedAt").GetString()!;
        Assert.EndsWith("Z", newerAt, StringComparison.Ordinal);
        Assert.True(DateTime.Parse(newerAt, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind)
            > DateTime.Parse(older.GetProperty("payload").GetProperty("receivedAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind));

        await editor.PatchSourceAsync(id, new { idPath = "id" });
        var queued = await ExpectAsync(await editor.Http.PostAsJsonAsync($"{V1}/sources/{id}/reprocess", new { since = newerAt }), HttpStatusCode.Accepted);
        Assert.Equal(1, queued.GetProperty("queued").GetInt32());

        Assert.Equal("processed", Outcome(await editor.WaitForOutcomeAsync(id, newer.GetProperty("payload").GetProperty("id").GetInt64())));
        Assert.Equal("stored", Outcome(await editor.GetPayloadAsync(id, older.GetProperty("payload").GetProperty("id").GetInt64())));
        var items = await editor.ListItemsAsync($"sourceId={id}");
        Assert.Equal(["newer"], items.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("externalId").GetString()));

        // The payload list filters on the same times.
        var from = await ExpectAsync(await editor.Http.GetAsync($"{V1}/sources/{id}/payloads?from={Uri.EscapeDataString(newerAt)}"), HttpStatusCode.OK);
        Assert.Equal([newer.GetProperty("payload").GetProperty("id").GetInt64()], from.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetInt64()));
        var to = await ExpectAsync(await editor.Http.GetAsync($"{V1}/sources/{id}/payloads?to={Uri.EscapeDataString(newerAt)}"), HttpStatusCode.OK);
        Assert.Equal([older.GetProperty("payload").GetProperty("id").GetInt64()], to.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetInt64()));

        var future = await ExpectAsync(await editor.Http.PostAsJsonAsync($"{V1}/sources/{id}/reprocess", new { since = DateTime.UtcNow.AddHours(1) }), HttpStatusCode.Accepted);
        Assert.Equal(0, future.GetProperty("queued").GetInt32());
    }

    [Fact]
    public async Task Reprocessing_needs_an_id_path_an_editor_and_a_known_source()
    {
        var editor = await Editor();
        var source = await editor.CreateSourceAsync();
        var id = Id(source);
        await editor.SendAcceptedAsync(source, Stripe);

        await ExpectValidationErrorAsync(await editor.Http.PostAsJsonAsync($"{V1}/sources/{id}/reprocess", new { }), "idPath");
        await editor.PatchSourceAsync(id, new { idPath = "id" });
        await ExpectProblemAsync(await (await Tester()).Http.PostAsJsonAsync($"{V1}/sources/{id}/reprocess", new { }), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ApiTestClient.Anonymous(Factory).Http.PostAsJsonAsync($"{V1}/sources/{id}/reprocess", new { })).StatusCode);
        await ExpectProblemAsync(await editor.Http.PostAsJsonAsync($"{V1}/sources/4242/reprocess", new { }), HttpStatusCode.NotFound);

        var payloads = await ExpectAsync(await editor.Http.GetAsync($"{V1}/sources/{id}/payloads"), HttpStatusCode.OK);
        Assert.Equal("stored", payloads.GetProperty("items")[0].GetProperty("outcome").GetString());
    }

    // ---- Payloads ----

    [Fact]
    public async Task Payloads_are_listed_newest_first_with_their_outcome_and_reason()
    {
        const string secret = "gh-s3cret";
        var editor = await Editor();
        var source = await editor.CreateLiveSourceAsync("$", "id");
        var id = Id(source);
        await editor.PatchSourceAsync(id, new { dedupKey = "$.delivery" });
        await ExpectAsync(await editor.PatchRawAsync(id, """{"filter":{"all":[{"path":"$.type","op":"equals","value":"keep"}]}}"""), HttpStatusCode.OK);

        var processed = await editor.SendAndWaitAsync(source, """{"delivery":"d1","type":"keep","id":"a"}""");
        var filtered = await editor.SendAndWaitAsync(source, """{"delivery":"d2","type":"drop","id":"b"}""");
        var failed = await editor.SendAndWaitAsync(source, """{"delivery":"d3","type":"keep"}""");
        var duplicate = await editor.SendAndWaitAsync(source, """{"delivery":"d1","type":"keep","id":"a"}""");

        await editor.PatchSourceAsync(id, new { verification = new { kind = "github", secret } });
        var unsigned = await editor.SendAsync(ReceiverUrl(source), Encoding.UTF8.GetBytes("""{"delivery":"d4","type":"keep","id":"c"}"""));
        await ExpectProblemAsync(unsigned, HttpStatusCode.Unauthorized);

        await ExpectAsync(await editor.Http.PostAsync($"{V1}/sources/{id}/pause", null), HttpStatusCode.OK);
        var body = Encoding.UTF8.GetBytes("""{"delivery":"d5","type":"keep","id":"d"}""");
        var storedId = await editor.SendAcceptedAsync(source, body, new Dictionary<string, string> { ["X-Hub-Signature-256"] = GitHubSignature(secret, body) });
        var stored = await editor.WaitForOutcomeAsync(id, storedId);

        var tester = await Tester();
        var list = await ExpectAsync(await tester.Http.GetAsync($"{V1}/sources/{id}/payloads"), HttpStatusCode.OK);
        Assert.Equal(6, list.GetProperty("total").GetInt32());
        var items = list.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["stored", "rejected", "duplicate", "failed", "filtered", "processed"], items.Select(p => p.GetProperty("outcome").GetString()));
        var ids = items.Select(p => p.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(ids.OrderDescending(), ids);
        Assert.Equal(storedId, ids[0]);
        Assert.All(items, p =>
        {
            Assert.Equal(id, p.GetProperty("sourceId").GetInt32());
            Assert.EndsWith("Z", p.GetProperty("receivedAt").GetString(), StringComparison.Ordinal);
            Assert.Equal("application/json", p.GetProperty("contentType").GetString());
            Assert.True(p.GetProperty("size").GetInt32() > 0);
            Assert.False(string.IsNullOrWhiteSpace(p.GetProperty("reason").GetString()), $"No reason for {p}");
            Assert.False(p.TryGetProperty("body", out _));
        });

        Reason(items, "processed", r => Assert.Equal("1 created, 0 updated, 0 unchanged.", r));
        Reason(items, "filtered", r => Assert.Equal("$.type equals \"keep\" — was \"drop\"", r));
        Reason(items, "failed", r => Assert.Contains("No value at id path 'id'", r, StringComparison.Ordinal));
        Reason(items, "duplicate", r => Assert.StartsWith($"Duplicate of #{Payload(processed).GetProperty("id").GetInt64()}", r, StringComparison.Ordinal));
        Reason(items, "rejected", r => Assert.StartsWith("Verification failed", r, StringComparison.Ordinal));
        Reason(items, "stored", r => Assert.Contains("live stream is off", r, StringComparison.Ordinal));
        var duplicateItem = items.Single(p => p.GetProperty("outcome").GetString() == "duplicate");
        Assert.Equal(Payload(processed).GetProperty("id").GetInt64(), duplicateItem.GetProperty("duplicateOf").GetInt64());
        Assert.Equal(1, items.Single(p => p.GetProperty("outcome").GetString() == "processed").GetProperty("created").GetInt32());
        Assert.EndsWith("Z", Payload(processed).GetProperty("processedAt").GetString(), StringComparison.Ordinal);

        // The details agree with the list.
        Assert.Equal("filtered", Outcome(filtered));
        Assert.Equal("failed", Outcome(failed));
        Assert.Equal("duplicate", Outcome(duplicate));
        Assert.Equal("stored", Outcome(stored));

        var onlyFiltered = await ExpectAsync(await tester.Http.GetAsync($"{V1}/sources/{id}/payloads?outcome=filtered"), HttpStatusCode.OK);
        Assert.Equal(1, onlyFiltered.GetProperty("total").GetInt32());
        Assert.Equal(Payload(filtered).GetProperty("id").GetInt64(), onlyFiltered.GetProperty("items")[0].GetProperty("id").GetInt64());

        var page = await ExpectAsync(await tester.Http.GetAsync($"{V1}/sources/{id}/payloads?page=2&pageSize=4"), HttpStatusCode.OK);
        Assert.Equal(6, page.GetProperty("total").GetInt32());
        Assert.Equal(ids.Skip(4), page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetInt64()));
    }

    [Fact]
    public async Task Payload_lists_validate_their_parameters()
    {
        var tester = await Tester();
        var id = Id(await (await Editor()).CreateSourceAsync());

        await ExpectValidationErrorAsync(await tester.Http.GetAsync($"{V1}/sources/{id}/payloads?pageSize=0"), "pageSize");
        var message = await ExpectValidationErrorAsync(await tester.Http.GetAsync($"{V1}/sources/{id}/payloads?outcome=lost"), "outcome");
        Assert.Contains("filtered", message, StringComparison.Ordinal);
        await ExpectProblemAsync(await tester.Http.GetAsync($"{V1}/sources/{id}/payloads?from=yesterday"), HttpStatusCode.BadRequest);
        await ExpectProblemAsync(await tester.Http.GetAsync($"{V1}/sources/{id}/payloads?page=first"), HttpStatusCode.BadRequest);
        await ExpectProblemAsync(await tester.Http.GetAsync($"{V1}/sources/4242/payloads"), HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ApiTestClient.Anonymous(Factory).Http.GetAsync($"{V1}/sources/{id}/payloads")).StatusCode);
    }

    [Fact]
    public async Task A_payload_shows_its_headers_masked_and_its_body_byte_for_byte()
    {
        const string secret = "shopify-signing-s3cret";
        const string bearer = "whs_live_Abcdefghijklmnopqrstuvwxyz0123";
        var body = File.ReadAllBytes(SamplePayloads.Path("shopify-orders-create.json"));
        var signature = GitHubSignature(secret, body);
        var editor = await Editor();
        var source = await editor.CreateLiveSourceAsync("$", "id", "name");
        var id = Id(source);
        await editor.PatchSourceAsync(id, new { verification = new { kind = "github", secret } });

        var payloadId = await editor.SendAcceptedAsync(source, body, new Dictionary<string, string>
        {
            ["Authorization"] = $"Bearer {bearer}",
            ["X-Hub-Signature-256"] = signature,
            ["X-Shopify-Topic"] = "orders/create",
        });
        var detail = await editor.WaitForOutcomeAsync(id, payloadId);

        Assert.Equal("processed", Outcome(detail));
        var headers = detail.GetProperty("headers").EnumerateObject().ToDictionary(h => h.Name, h => h.Value.GetString()!, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in new[] { ("Authorization", bearer), ("X-Hub-Signature-256", signature["sha256=".Length..]) })
        {
            Assert.StartsWith("••••", headers[name], StringComparison.Ordinal);
            Assert.DoesNotContain(value, headers[name], StringComparison.Ordinal);
        }
        Assert.Equal("orders/create", headers["X-Shopify-Topic"]);
        var raw = detail.GetRawText();
        foreach (var secretText in new[] { bearer, signature["sha256=".Length..], secret })
            Assert.DoesNotContain(secretText, raw, StringComparison.Ordinal);

        Assert.Equal(Encoding.UTF8.GetString(body), detail.GetProperty("body").GetString());
        Assert.Contains("\"id\": 820982911946154508,", detail.GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.Equal(body.Length, detail.GetProperty("payload").GetProperty("size").GetInt32());
        Assert.Equal("application/json", detail.GetProperty("payload").GetProperty("contentType").GetString());
        Assert.Equal(payloadId, detail.GetProperty("payload").GetProperty("id").GetInt64());

        // The item keeps the large integers exactly too.
        var item = await editor.FindItemAsync(id, "820982911946154508");
        Assert.Equal("820982911946154508", item.GetProperty("data").GetProperty("id").GetRawText());
        Assert.Equal("115310627314723954", item.GetProperty("data").GetProperty("customer").GetProperty("id").GetRawText());
        Assert.Equal("866550311766439020", item.GetProperty("data").GetProperty("line_items")[0].GetProperty("id").GetRawText());
        Assert.Equal("#9999", item.GetProperty("title").GetString());
    }

    [Fact]
    public async Task An_unknown_payload_is_404_and_a_payload_is_only_found_under_its_source()
    {
        var editor = await Editor();
        var source = await editor.CreateSourceAsync();
        var other = await editor.CreateSourceAsync("Other");
        var payloadId = await editor.SendAcceptedAsync(source, Stripe);

        await ExpectProblemAsync(await editor.Http.GetAsync($"{V1}/sources/{Id(source)}/payloads/{payloadId + 100}"), HttpStatusCode.NotFound);
        await ExpectProblemAsync(await editor.Http.GetAsync($"{V1}/sources/{Id(other)}/payloads/{payloadId}"), HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ApiTestClient.Anonymous(Factory).Http.GetAsync($"{V1}/sources/{Id(source)}/payloads/{payloadId}")).StatusCode);
        Assert.Equal(Stripe, (await (await Tester()).GetPayloadAsync(Id(source), payloadId)).GetProperty("body").GetString());
    }

    private static JsonElement Payload(JsonElement detail) => detail.GetProperty("payload");

    private static void Reason(List<JsonElement> items, string outcome, Action<string> check) =>
        check(items.Single(p => p.GetProperty("outcome").GetString() == outcome).GetProperty("reason").GetString()!);
}
