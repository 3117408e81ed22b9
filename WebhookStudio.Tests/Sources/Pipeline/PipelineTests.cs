using System.Net;
using System.Text.Json.Nodes;
using WebhookStudio.Tests.Infrastructure;

namespace WebhookStudio.Tests.Sources.Pipeline;

/// <summary>Payload → items through the real receiver and processor, on the shapes real applications send.</summary>
public sealed class PipelineTests(SharedStudio shared) : ApiTestBase(shared)
{

    public static TheoryData<string, string, string, string, string, string> Samples => new()
    {
        // file, content type, entity path, id path, title path, one expected title
        { "github-push.json", "application/json", "$.commits[*]", "id", "message", "" },
        { "stripe-invoice-paid.json", "application/json", "$.data.object", "id", "customer_email", "jenny.rosen@example.com" },
        { "shopify-orders-create.json", "application/json", "$", "id", "name", "" },
        { "mailchimp-subscribe.form", "application/x-www-form-urlencoded", "$.data", "id", "email", "" },
        { "mattermost-outgoing.json", "application/json", "$", "post_id", "text", "" },
        { "hubspot-contact-events.json", "application/json", "$", "objectId", "subscriptionType", "" },
        { "tokeet-guest-created.json", "application/json", "$.guest", "pkey", "name", "" },
        { "zendesk-ticket-updated.json", "application/json", "$.detail", "id", "subject", "" },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Every_sample_payload_becomes_items_with_ids_and_titles(string file, string contentType, string entityPath, string idPath, string titlePath, string expectedTitle)
    {
        var source = await Api.SetUpSourceAsync(file, patch: new { entityPath, idPath, titlePath, liveStream = true });
        var body = SamplePayloads.Read(file);
        if (file.EndsWith(".form", StringComparison.Ordinal)) body = body.Trim();
        Assert.Equal(HttpStatusCode.Accepted, (await Api.PostHookAsync(source.Token, body, contentType)).StatusCode);

        var payload = (await Api.SettledPayloadsAsync(source.Id)).Single()!;
        Assert.Equal("processed", (string)payload["outcome"]!);
        var items = await Api.ItemsAsync(source.Id);
        Assert.NotEmpty(items);
        Assert.Equal(items.Count, (int)payload["created"]!);
        Assert.All(items, i => Assert.False(string.IsNullOrEmpty((string)i!["externalId"]!)));
        if (expectedTitle.Length > 0)
            Assert.Contains(items, i => (string?)i!["title"] == expectedTitle);
    }

    [Fact]
    public async Task Shopify_ids_beyond_2_pow_53_are_kept_exactly_as_the_item_id()
    {
        var source = await Api.SetUpSourceAsync("Shopify", "shopify", new { idPath = "id", titlePath = "name", liveStream = true });
        var body = SamplePayloads.Read("shopify-orders-create.json");
        await Api.PostHookAsync(source.Token, body);
        await Api.SettledPayloadsAsync(source.Id);
        var item = (await Api.ItemsAsync(source.Id)).Single()!;
        var rawId = System.Text.RegularExpressions.Regex.Match(body, "\"id\":\\s*(\\d+)").Groups[1].Value;
        Assert.True(rawId.Length > 16);
        Assert.Equal(rawId, (string)item["externalId"]!);
        Assert.Contains(rawId, item["data"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_payload_with_more_entities_than_allowed_fails_with_the_reason_and_creates_no_item()
    {
        var source = await Api.SetUpSourceAsync("Bulk", patch: new { idPath = "id", liveStream = true });
        var many = "[" + string.Join(",", Enumerable.Range(1, 1001).Select(i => $$"""{"id":{{i}}}""")) + "]";
        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await Api.PostHookAsync(source.Token, many)).StatusCode);
        await Api.PostHookAsync(source.Token, """[{"id":"a"},{"id":"b"}]""");
        var payloads = await Api.SettledPayloadsAsync(source.Id);

        var bulk = payloads.Single(p => (string)p!["outcome"]! == "failed")!;
        Assert.Contains("1,001 entities", (string)bulk["reason"]!, StringComparison.Ordinal);
        Assert.Contains("Receiver:MaxEntitiesPerPayload", (string)bulk["reason"]!, StringComparison.Ordinal);
        Assert.Equal(["a", "b"], (await Api.ItemsAsync(source.Id)).Select(i => (string)i!["externalId"]!));
    }

    [Fact]
    public async Task Updates_record_field_changes_and_an_identical_resend_changes_nothing()
    {
        var source = await Api.SetUpSourceAsync("Tickets", patch: new { idPath = "id", titlePath = "subject", liveStream = true });
        await Api.PostHookAsync(source.Token, """{"id":7,"subject":"Printer","status":"open","meta":{"priority":"low"}}""");
        await Api.SettledPayloadsAsync(source.Id);
        await Api.PostHookAsync(source.Token, """{"id":7,"subject":"Printer on fire","status":"open","meta":{"priority":"urgent"}}""");
        await Api.SettledPayloadsAsync(source.Id);
        await Api.PostHookAsync(source.Token, """{"id":7,"subject":"Printer on fire","status":"open","meta":{"priority":"urgent"}}""");
        var payloads = await Api.SettledPayloadsAsync(source.Id);

        Assert.Equal([0, 1, 0], payloads.Select(p => (int)p!["updated"]!));
        Assert.Equal("0 created, 0 updated, 1 unchanged.", (string)payloads[0]!["reason"]!);
        var item = (await Api.ItemsAsync(source.Id)).Single()!;
        Assert.Equal("Printer on fire", (string)item["title"]!);

        var detail = await Api.GetJsonAsync($"/api/v1/items/{(long)item["id"]!}");
        var changes = (JsonArray)detail["changes"]!;
        Assert.Equal(2, changes.Count);
        Assert.Equal("updated", (string)changes[0]!["kind"]!);
        Assert.Equal("created", (string)changes[1]!["kind"]!);
        var fields = ((JsonArray)changes[0]!["fields"]!).Select(f => ((string)f!["path"]!, f["old"]!.ToJsonString(), f["new"]!.ToJsonString())).ToList();
        Assert.Equal([("meta.priority", "\"low\"", "\"urgent\""), ("subject", "\"Printer\"", "\"Printer on fire\"")], fields);
        Assert.Equal((long)payloads[1]!["id"]!, (long)changes[0]!["payloadId"]!);
    }

    [Fact]
    public async Task Resending_a_payload_with_dates_and_decimals_changes_nothing()
    {
        var source = await Api.SetUpSourceAsync("Zendesk", "zendesk", new { entityPath = "$.detail", idPath = "id", titlePath = "subject", liveStream = true });
        var ticket = SamplePayloads.Read("zendesk-ticket-updated.json");
        await Api.PostHookAsync(source.Token, ticket);
        await Api.SettledPayloadsAsync(source.Id);
        await Api.PostHookAsync(source.Token, """{"detail":{"id":"d1","at":"2026-11-21T12:01:20Z","price":10.50}}""");
        await Api.SettledPayloadsAsync(source.Id);
        await Api.PostHookAsync(source.Token, ticket);
        await Api.PostHookAsync(source.Token, """{"detail":{"id":"d1","at":"2026-11-21T12:01:20Z","price":10.50}}""");
        var payloads = await Api.SettledPayloadsAsync(source.Id);
        Assert.Equal(1, (int)payloads[0]!["unchanged"]!);
        Assert.Equal(1, (int)payloads[1]!["unchanged"]!);
        Assert.Contains("10.50", (await Api.ItemsAsync(source.Id)).Single(i => (string)i!["externalId"]! == "d1")!["data"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_filter_lets_matching_payloads_through_and_says_why_the_others_were_filtered()
    {
        var source = await Api.SetUpSourceAsync("Stripe", "stripe", new
        {
            entityPath = "$.data.object", idPath = "id", titlePath = "customer_email", liveStream = true,
            filter = new { all = new object[] { new { path = "$.type", op = "equals", value = "invoice.paid" } } },
        });
        var paid = SamplePayloads.Read("stripe-invoice-paid.json");
        await Api.PostHookAsync(source.Token, paid);
        await Api.PostHookAsync(source.Token, paid.Replace("\"invoice.paid\"", "\"invoice.created\"", StringComparison.Ordinal));
        var payloads = await Api.SettledPayloadsAsync(source.Id);

        Assert.Equal("processed", (string)payloads[1]!["outcome"]!);
        Assert.Equal("filtered", (string)payloads[0]!["outcome"]!);
        Assert.Contains("invoice.created", (string)payloads[0]!["reason"]!, StringComparison.Ordinal);
        Assert.Single(await Api.ItemsAsync(source.Id));
    }

    [Fact]
    public async Task Entities_without_an_id_fail_with_a_clear_reason()
    {
        var source = await Api.SetUpSourceAsync("Partial", patch: new { idPath = "id", liveStream = true });
        await Api.PostHookAsync(source.Token, """[{"id":"a"},{"name":"no id"}]""");
        await Api.PostHookAsync(source.Token, """{"name":"no id at all"}""");
        var payloads = await Api.SettledPayloadsAsync(source.Id);

        Assert.Equal("failed", (string)payloads[0]!["outcome"]!);
        Assert.Contains("id", (string)payloads[0]!["reason"]!, StringComparison.Ordinal);
        Assert.Equal("processed", (string)payloads[1]!["outcome"]!);
        Assert.Contains("1 of 2 entities skipped", (string)payloads[1]!["reason"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_live_stream_off_payloads_are_stored_only_until_reprocessed()
    {
        var source = await Api.SetUpSourceAsync("Later", patch: new { idPath = "id" });
        await Api.PostHookAsync(source.Token, """{"id":"q1"}""");
        var stored = (await Api.SettledPayloadsAsync(source.Id)).Single()!;
        Assert.Equal("stored", (string)stored["outcome"]!);
        Assert.Contains("live stream is off", (string)stored["reason"]!, StringComparison.Ordinal);
        Assert.Empty(await Api.ItemsAsync(source.Id));

        var reprocess = await Api.Http.PostAsync($"/api/v1/sources/{source.Id}/reprocess", null);
        Assert.Equal(HttpStatusCode.Accepted, reprocess.StatusCode);
        Assert.Equal("processed", (string)(await Api.SettledPayloadsAsync(source.Id)).Single()!["outcome"]!);
        Assert.Single(await Api.ItemsAsync(source.Id));
    }

    [Fact]
    public async Task Build_new_mode_never_overwrites_an_existing_item()
    {
        var source = await Api.SetUpSourceAsync("Append", patch: new { idPath = "id", titlePath = "t", fetchMode = "new", liveStream = true });
        await Api.PostHookAsync(source.Token, """{"id":"n1","t":"first"}""");
        await Api.SettledPayloadsAsync(source.Id);
        await Api.PostHookAsync(source.Token, """{"id":"n1","t":"second"}""");
        var payloads = await Api.SettledPayloadsAsync(source.Id);
        Assert.Equal(1, (int)payloads[0]!["unchanged"]!);
        Assert.Equal("first", (string)(await Api.ItemsAsync(source.Id)).Single()!["title"]!);
    }
}
