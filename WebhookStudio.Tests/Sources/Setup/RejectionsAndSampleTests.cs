using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WebhookStudio.Tests.Infrastructure;
using static WebhookStudio.Tests.Infrastructure.ApiTestClient;

namespace WebhookStudio.Tests.Sources.Setup;

/// <summary>The connect step's API: refused requests per source, and "Send a sample" going through the receiver.</summary>
public sealed class RejectionsAndSampleTests(SharedStudio shared) : ApiTestBase(shared, () => new StudioFactory().With("Receiver:MaxBodyBytes", "2048"))
{
    private async Task<JsonElement> RejectionsAsync(int sourceId) =>
        await ExpectAsync(await Api.Http.GetAsync($"{V1}/sources/{sourceId}/rejections"), HttpStatusCode.OK);

    private async Task<JsonElement> SendSampleAsync(int sourceId) =>
        await ExpectAsync(await Api.Http.PostAsync($"{V1}/sources/{sourceId}/sample", null), HttpStatusCode.OK);

    [Fact]
    public async Task A_refused_request_is_listed_with_its_status_reason_and_content_type()
    {
        var source = await Api.SetUpSourceAsync("Stripe", "stripe");
        Assert.Equal(0, (await RejectionsAsync(source.Id)).GetProperty("total").GetInt32());

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await Api.PostHookAsync(source.Token, "hello", "text/plain")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Api.PostHookAsync(source.Token, "{\"id\":")).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await Api.PostHookAsync(source.Token, "42")).StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await Api.PostHookAsync(source.Token, $"{{\"x\":\"{new string('a', 3000)}\"}}")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await Api.PostHookAsync(source.Token, "{\"id\":\"ok\"}")).StatusCode);

        var list = await RejectionsAsync(source.Id);
        Assert.Equal(4, list.GetProperty("total").GetInt32());
        var items = list.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([413, 422, 400, 415], items.Select(i => i.GetProperty("status").GetInt32()));
        var unsupported = items[3];
        Assert.Equal("Unsupported content type", unsupported.GetProperty("title").GetString());
        Assert.Contains("text/plain", unsupported.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("text/plain", unsupported.GetProperty("contentType").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("Z", unsupported.GetProperty("at").GetString(), StringComparison.Ordinal);

        // Another source's list stays empty: refusals are per source.
        var other = await Api.SetUpSourceAsync("Other");
        Assert.Equal(0, (await RejectionsAsync(other.Id)).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Only_the_last_20_refusals_are_kept_newest_first()
    {
        var source = await Api.SetUpSourceAsync("Noisy");
        for (var i = 0; i < 25; i++)
            await Api.PostHookAsync(source.Token, "hello", $"text/x-{i}");

        var list = await RejectionsAsync(source.Id);
        var types = list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("contentType").GetString()).ToList();
        Assert.Equal(20, types.Count);
        Assert.StartsWith("text/x-24", types[0], StringComparison.Ordinal);
        Assert.StartsWith("text/x-5", types[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejections_of_an_unknown_source_are_404_and_a_tester_may_read_them()
    {
        await ExpectProblemAsync(await Api.Http.GetAsync($"{V1}/sources/999/rejections"), HttpStatusCode.NotFound);
        var source = await Api.SetUpSourceAsync("Visible");
        var tester = await ForRoleAsync(Factory, "Tester");
        await ExpectAsync(await tester.Http.GetAsync($"{V1}/sources/{source.Id}/rejections"), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Anonymous(Factory).Http.GetAsync($"{V1}/sources/{source.Id}/rejections")).StatusCode);
    }

    [Fact]
    public async Task A_sample_is_stored_through_the_receiver_with_the_apps_body_and_a_recognisable_user_agent()
    {
        var source = await Api.SetUpSourceAsync("Stripe", "stripe");
        var sent = await SendSampleAsync(source.Id);
        Assert.Equal(202, sent.GetProperty("receiverStatus").GetInt32());
        Assert.Equal("stripe-invoice-paid.json", sent.GetProperty("sample").GetString());

        var payload = await Api.GetPayloadAsync(source.Id, sent.GetProperty("payloadId").GetInt64());
        Assert.Equal("WebhookStudio sample", payload.GetProperty("headers").GetProperty("User-Agent").GetString());
        Assert.Equal("application/json", payload.GetProperty("payload").GetProperty("contentType").GetString());
        Assert.Equal("stored", payload.GetProperty("payload").GetProperty("outcome").GetString());
        Assert.Equal(SamplePayloads.Read("stripe-invoice-paid.json"), payload.GetProperty("body").GetString());
        Assert.NotEqual(JsonValueKind.Null, (await Api.GetSourceAsync(source.Id)).GetProperty("lastPayloadAt").ValueKind);
    }

    [Fact]
    public async Task A_sample_of_a_form_app_is_a_form_post_and_a_live_source_processes_it_like_any_payload()
    {
        var source = await Api.SetUpSourceAsync("Mailchimp", "mailchimp", new { entityPath = "$.data", idPath = "id", titlePath = "merges.EMAIL", liveStream = true });
        var sent = await SendSampleAsync(source.Id);
        Assert.Equal("application/x-www-form-urlencoded", sent.GetProperty("contentType").GetString());

        var payloads = await Api.SettledPayloadsAsync(source.Id);
        Assert.Equal("processed", (string)payloads.Single()!["outcome"]!);
        Assert.Equal("api@example.com", (string)(await Api.ItemsAsync(source.Id)).Single()!["title"]!);
    }

    [Fact]
    public async Task A_custom_source_gets_a_generic_json_sample()
    {
        var source = await Api.SetUpSourceAsync("Anything");
        var sent = await SendSampleAsync(source.Id);
        Assert.Equal(202, sent.GetProperty("receiverStatus").GetInt32());
        Assert.Equal("generic", sent.GetProperty("sample").GetString());
        var payload = await Api.GetPayloadAsync(source.Id, sent.GetProperty("payloadId").GetInt64());
        Assert.Contains("\"record.created\"", payload.GetProperty("body").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sample_to_a_source_that_demands_a_signature_is_refused_like_any_unsigned_request()
    {
        var source = await Api.SetUpSourceAsync("Signed", "github", new { verification = new { kind = "github", secret = "s3cret" } });
        var sent = await SendSampleAsync(source.Id);
        Assert.Equal(401, sent.GetProperty("receiverStatus").GetInt32());
        Assert.Contains("X-Hub-Signature-256", sent.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);

        var refused = (await RejectionsAsync(source.Id)).GetProperty("items").EnumerateArray().Single();
        Assert.Equal(401, refused.GetProperty("status").GetInt32());
        Assert.Equal("WebhookStudio sample", refused.GetProperty("userAgent").GetString());
        var stored = (await Api.GetJsonAsync($"{V1}/sources/{source.Id}/payloads"))["items"]!.AsArray().Single();
        Assert.Equal("rejected", (string)stored!["outcome"]!);
        // The refused sample is kept for the user to read, and the answer points at it.
        Assert.Equal((long)stored["id"]!, sent.GetProperty("payloadId").GetInt64());
    }

    [Fact]
    public async Task Sending_a_sample_to_an_unknown_source_is_404()
    {
        await ExpectProblemAsync(await Api.Http.PostAsync($"{V1}/sources/999/sample", null), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Creating_a_source_for_an_app_outside_the_catalog_is_400_naming_the_app_field()
    {
        var message = await ExpectValidationErrorAsync(await Api.Http.PostAsJsonAsync($"{V1}/sources", new { name = "CRM", app = "my-crm" }), "app");
        Assert.Contains("my-crm", message, StringComparison.Ordinal);
        var created = await Api.CreateSourceAsync("Teams", "Microsoft Teams");
        Assert.Equal("msteams", created.GetProperty("app").GetString());

        var apps = await ExpectAsync(await Api.Http.GetAsync($"{V1}/apps"), HttpStatusCode.OK);
        Assert.True(apps.GetProperty("total").GetInt32() >= 25);
        var stripe = apps.GetProperty("items").EnumerateArray().Single(a => a.GetProperty("key").GetString() == "stripe");
        Assert.Equal("https://docs.stripe.com/webhooks", stripe.GetProperty("docsUrl").GetString());
        Assert.True(stripe.GetProperty("hasSample").GetBoolean());
    }
}
