using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookStudio.Data;
using WebhookStudio.Features.Sources;
using WebhookStudio.Features.Sources.Inbound;
using WebhookStudio.Tests.Infrastructure;
using WebhookStudio.Tests.Sources.Inbound;

namespace WebhookStudio.Tests.Sources.Receiving;

/// <summary>
/// Each app's check of a new receiver URL, replayed from the app's documentation: answered with exactly what the app
/// expects, for a source in any state, kept as a "handshake" payload (never an item, never a delivery), and refused
/// where the app signs it and the signature is wrong.
/// </summary>
public sealed class HandshakeTests(SharedStudio shared) : ApiTestBase(shared)
{
    private HttpClient Client => Api.Http;

    /// <summary>A source of the app, fresh from the catalog: awaiting its first payload, not mapped, live stream off.</summary>
    private Task<ApiTestClient.CreatedSource> SourceOf(string app, object? verification = null) =>
        Api.SetUpSourceAsync(app, app, verification is null ? null : new { verification });

    private static HttpRequestMessage Post(string token, string body, IReadOnlyDictionary<string, string>? headers = null, string query = "")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/hooks/{token}{query}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }

    private async Task<JsonObject> OnlyPayloadAsync(int sourceId) =>
        (JsonObject)Assert.Single(await Api.SettledPayloadsAsync(sourceId))!;

    private async Task AssertRecordedAsHandshakeAsync(int sourceId, string app)
    {
        var payload = await OnlyPayloadAsync(sourceId);
        Assert.Equal("handshake", (string)payload["outcome"]!);
        Assert.Equal($"{app} verified this URL.", (string)payload["reason"]!);
        Assert.Empty(await Api.ItemsAsync(sourceId));
    }

    private static string Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Slack_url_verification_is_answered_with_the_challenge_signed_or_before_the_secret_is_saved()
    {
        // api.slack.com/events/url_verification: the documented request and its plain-text answer.
        const string check = """{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}""";
        var fresh = await SourceOf("slack");
        var answer = await Client.SendAsync(Post(fresh.Token, check));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("text/plain", answer.Content.Headers.ContentType?.MediaType);
        Assert.Equal("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", await answer.Content.ReadAsStringAsync());
        await AssertRecordedAsHandshakeAsync(fresh.Id, "Slack");

        // With the signing secret saved, the check must carry Slack's signature: v0=hex HMAC-SHA256(secret, "v0:ts:body").
        var signed = await SourceOf("slack", new { kind = "slack", secret = "8f742231b10e8888abcd99yyyzzz85a5" });
        var ts = Now;
        var signature = "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData("8f742231b10e8888abcd99yyyzzz85a5"u8.ToArray(), Encoding.UTF8.GetBytes($"v0:{ts}:{check}")));
        var good = await Client.SendAsync(Post(signed.Token, check, new Dictionary<string, string> { ["X-Slack-Request-Timestamp"] = ts, ["X-Slack-Signature"] = signature }));
        Assert.Equal("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", await good.Content.ReadAsStringAsync());
        var forged = await Client.SendAsync(Post(signed.Token, check.Replace("3eZb", "XXXX", StringComparison.Ordinal),
            new Dictionary<string, string> { ["X-Slack-Request-Timestamp"] = ts, ["X-Slack-Signature"] = signature }));
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        var payloads = await Api.SettledPayloadsAsync(signed.Id);
        Assert.Equal(["rejected", "handshake"], payloads.Select(p => (string)p!["outcome"]!));
    }

    [Fact]
    public async Task Zoom_url_validation_answers_the_plain_token_with_its_hmac_under_the_secret_token()
    {
        // developers.zoom.us/docs/api/webhooks/#validate-your-webhook-endpoint
        const string check = """{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1654503849680,"event":"endpoint.url_validation"}""";
        const string secretToken = "ZOOM_WEBHOOK_SECRET_TOKEN";
        var source = await SourceOf("zoom", new { kind = "zoom", secret = secretToken });
        var ts = Now;
        var signature = "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secretToken), Encoding.UTF8.GetBytes($"v0:{ts}:{check}")));

        var answer = await Client.SendAsync(Post(source.Token, check, new Dictionary<string, string> { ["x-zm-request-timestamp"] = ts, ["x-zm-signature"] = signature }));

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var body = await answer.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("qgg8vlvZRS6UYooatFL8Aw", body.GetProperty("plainToken").GetString());
        Assert.Equal(Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secretToken), "qgg8vlvZRS6UYooatFL8Aw"u8.ToArray())),
            body.GetProperty("encryptedToken").GetString());
        await AssertRecordedAsHandshakeAsync(source.Id, "Zoom");

        // Without the secret token there is nothing to answer with: the refusal says what to do.
        var unset = await SourceOf("zoom");
        var refused = await Client.SendAsync(Post(unset.Token, check));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("Secret Token", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Trello_and_Mailchimp_check_the_url_with_HEAD_and_GET()
    {
        var trello = await SourceOf("trello");
        var mailchimp = await SourceOf("mailchimp");

        Assert.Equal(HttpStatusCode.OK, (await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/hooks/{trello.Token}"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync($"/hooks/{mailchimp.Token}")).StatusCode);
        await AssertRecordedAsHandshakeAsync(trello.Id, "Trello");
        await AssertRecordedAsHandshakeAsync(mailchimp.Id, "Mailchimp");

        // Methods no handshake of the app claims keep answering 405.
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await Client.GetAsync($"/hooks/{trello.Token}")).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await Client.PutAsync($"/hooks/{mailchimp.Token}", new StringContent("{}"))).StatusCode);
        var custom = await SourceOf("custom");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await Client.GetAsync($"/hooks/{custom.Token}")).StatusCode);
    }

    [Fact]
    public async Task Asana_has_its_hook_secret_echoed_kept_masked_and_then_keys_its_events()
    {
        // developers.asana.com/docs/webhooks-guide: the handshake carries X-Hook-Secret and expects it back.
        var source = await SourceOf("asana");
        var handshake = await Client.SendAsync(Post(source.Token, "", new Dictionary<string, string> { ["X-Hook-Secret"] = "asana-hook-secret-0123" }));
        Assert.Equal(HttpStatusCode.OK, handshake.StatusCode);
        Assert.Equal("asana-hook-secret-0123", handshake.Headers.GetValues("X-Hook-Secret").Single());
        await AssertRecordedAsHandshakeAsync(source.Id, "Asana");
        var payloadId = (long)(await OnlyPayloadAsync(source.Id))["id"]!;
        var stored = await Api.GetJsonAsync($"/api/v1/sources/{source.Id}/payloads/{payloadId}");
        Assert.DoesNotContain("asana-hook-secret-0123", stored.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("asana", (string)(await Api.GetJsonAsync($"/api/v1/sources/{source.Id}"))["verification"]!["kind"]!);

        // Events: X-Hook-Signature is the hex HMAC-SHA256 of the body under that secret.
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData("asana-hook-secret-0123"u8.ToArray(), Encoding.UTF8.GetBytes(PresetCase.JsonBody)));
        Assert.Equal(HttpStatusCode.Accepted, (await Client.SendAsync(Post(source.Token, PresetCase.JsonBody, new Dictionary<string, string> { ["X-Hook-Signature"] = signature }))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client.SendAsync(Post(source.Token, PresetCase.ChangedJsonBody, new Dictionary<string, string> { ["X-Hook-Signature"] = signature }))).StatusCode);
        // A second handshake with another secret would take the source over: refused until the user clears the secret.
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client.SendAsync(Post(source.Token, "", new Dictionary<string, string> { ["X-Hook-Secret"] = "someone-elses-secret" }))).StatusCode);
    }

    [Fact]
    public async Task Monday_has_its_challenge_echoed_as_json()
    {
        // developer.monday.com/api-reference/reference/webhooks: {"challenge": …} comes back as it was sent.
        var source = await SourceOf("monday");
        var answer = await Client.SendAsync(Post(source.Token, """{"challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}"""));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("challenge").GetString());
        await AssertRecordedAsHandshakeAsync(source.Id, "monday.com");
    }

    [Fact]
    public async Task Notion_hands_over_its_verification_token_which_then_keys_its_events()
    {
        // developers.notion.com/reference/webhooks: the first POST carries verification_token; events are signed
        // X-Notion-Signature: sha256=hex HMAC-SHA256(verification_token, body).
        const string token = "secret_tMrlL1qK5vuQAh1b6cZGhFChZTSYJlce98V0pYn7yBl";
        var source = await SourceOf("notion");
        var answer = await Client.SendAsync(Post(source.Token, $$"""{"verification_token":"{{token}}"}"""));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        await AssertRecordedAsHandshakeAsync(source.Id, "Notion");
        var payloadId = (long)(await OnlyPayloadAsync(source.Id))["id"]!;
        Assert.DoesNotContain(token, (await Api.GetJsonAsync($"/api/v1/sources/{source.Id}/payloads/{payloadId}")).ToJsonString(), StringComparison.Ordinal);

        var signature = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(PresetCase.JsonBody)));
        Assert.Equal(HttpStatusCode.Accepted, (await Client.SendAsync(Post(source.Token, PresetCase.JsonBody, new Dictionary<string, string> { ["X-Notion-Signature"] = signature }))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client.SendAsync(Post(source.Token, PresetCase.ChangedJsonBody, new Dictionary<string, string> { ["X-Notion-Signature"] = signature }))).StatusCode);
    }

    [Fact]
    public async Task Meta_gets_its_challenge_only_with_the_sources_verify_token()
    {
        // developers.facebook.com/docs/graph-api/webhooks/getting-started: GET ?hub.mode=subscribe&hub.challenge&hub.verify_token.
        var source = await SourceOf("meta", new { kind = "meta", secret = "0123456789abcdef-app-secret", verifyToken = "my-long-verify-token-9876" });

        var confirmed = await Client.GetAsync($"/hooks/{source.Token}?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=my-long-verify-token-9876");
        var refused = await Client.GetAsync($"/hooks/{source.Token}?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=guess");

        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal("1158201444", await confirmed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("verify token", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        var payloads = await Api.SettledPayloadsAsync(source.Id);
        Assert.Equal(["rejected", "handshake"], payloads.Select(p => (string)p!["outcome"]!));
    }

    [Fact]
    public async Task Microsoft_Graph_gets_its_decoded_validation_token_as_plain_text()
    {
        // learn.microsoft.com/graph/change-notifications-delivery-webhooks: POST ?validationToken=…, answered within 10 s
        // with 200 text/plain and the token, URL-decoded.
        var source = await SourceOf("msgraph");
        const string token = "Validation: Testing client application reachability for subscription Request-Id: 3b3f9821-ce3f-23d9-879b-00a23f3 ";
        var request = new HttpRequestMessage(HttpMethod.Post, $"/hooks/{source.Token}?validationToken={Uri.EscapeDataString(token)}")
        {
            Content = new StringContent("", Encoding.UTF8, "text/plain"),
        };

        var answer = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("text/plain", answer.Content.Headers.ContentType?.MediaType);
        Assert.Equal(token, await answer.Content.ReadAsStringAsync());
        await AssertRecordedAsHandshakeAsync(source.Id, "Microsoft Graph");
    }

    [Fact]
    public async Task Dropbox_has_its_challenge_echoed_as_text_no_browser_sniffs()
    {
        // dropbox.com/developers/reference/webhooks: GET ?challenge=…, echoed with X-Content-Type-Options: nosniff.
        var source = await SourceOf("dropbox");
        var answer = await Client.GetAsync($"/hooks/{source.Token}?challenge=abc-123");
        Assert.Equal("abc-123", await answer.Content.ReadAsStringAsync());
        Assert.Equal("text/plain", answer.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", answer.Headers.GetValues("X-Content-Type-Options").Single());
        await AssertRecordedAsHandshakeAsync(source.Id, "Dropbox");
    }

    [Fact]
    public async Task Okta_gets_its_verification_challenge_back_as_json()
    {
        // developer.okta.com/docs/concepts/event-hooks: GET with X-Okta-Verification-Challenge → {"verification": …}.
        var source = await SourceOf("okta");
        var request = new HttpRequestMessage(HttpMethod.Get, $"/hooks/{source.Token}");
        request.Headers.Add("X-Okta-Verification-Challenge", "ItzqkjbiNGIWlcg96Fd8AOqj5fUk3ci5ruUdfuP4");

        var answer = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("ItzqkjbiNGIWlcg96Fd8AOqj5fUk3ci5ruUdfuP4", (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("verification").GetString());
        await AssertRecordedAsHandshakeAsync(source.Id, "Okta");
    }

    [Fact]
    public async Task Discord_ping_gets_204_only_once_its_signature_checks_out_and_events_are_acknowledged_the_same_way()
    {
        // discord.com/developers/docs/events/webhook-events: PING is {"type":0}, answered 204 with no body; events
        // ({"type":1}) too; both signed X-Signature-Ed25519 over timestamp + body.
        var preset = PresetCases.For(VerificationKind.Discord);
        var source = await SourceOf("discord", new { kind = "discord", secret = preset.Secret });
        const string ping = """{"version":1,"application_id":"1234560123453231555","type":0}""";
        const string evt = """{"version":1,"application_id":"1234560123453231555","type":1,"event":{"type":"APPLICATION_AUTHORIZED","timestamp":"2024-10-18T14:42:53.064834","data":{"user":{"id":"111178765189277770"}}}}""";
        HttpRequestMessage Signed(string body) => Post(source.Token, body, preset.Sign(new Signing(body, "", DateTimeOffset.UtcNow)));

        var pong = await Client.SendAsync(Signed(ping));
        Assert.Equal(HttpStatusCode.NoContent, pong.StatusCode);
        Assert.Empty(await pong.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client.SendAsync(Post(source.Token, ping))).StatusCode);
        var acknowledged = await Client.SendAsync(Signed(evt));
        Assert.Equal(HttpStatusCode.NoContent, acknowledged.StatusCode);

        var payloads = await Api.SettledPayloadsAsync(source.Id);
        Assert.Equal(["stored", "rejected", "handshake"], payloads.Select(p => (string)p!["outcome"]!));
    }

    [Fact]
    public async Task Xero_intent_to_receive_is_exactly_200_with_no_body_when_signed_and_401_when_not()
    {
        // developer.xero.com/documentation/guides/webhooks/configuring-your-server: x-xero-signature is the base64
        // HMAC-SHA256 of the body under the webhook key; the answer is 200 with no body, or 401.
        const string key = "xero-webhook-key-0123456789";
        const string intent = """{"events":[],"firstEventSequence":0,"lastEventSequence":0,"entropy":"S0m3r4Nd0mt3xt"}""";
        const string evt = """{"events":[{"resourceUrl":"https://api.xero.com/api.xro/2.0/Invoices/1","resourceId":"1","eventDateUtc":"2026-12-01T10:00:00","eventType":"UPDATE","eventCategory":"INVOICE","tenantId":"t","tenantType":"ORGANISATION"}],"firstEventSequence":1,"lastEventSequence":1,"entropy":"x"}""";
        static string Sign(string body) => Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(body)));
        var source = await SourceOf("xero", new { kind = "xero", secret = key });

        var good = await Client.SendAsync(Post(source.Token, intent, new Dictionary<string, string> { ["x-xero-signature"] = Sign(intent) }));
        var bad = await Client.SendAsync(Post(source.Token, intent, new Dictionary<string, string> { ["x-xero-signature"] = Sign(intent + " ") }));
        var eventAnswer = await Client.SendAsync(Post(source.Token, evt, new Dictionary<string, string> { ["x-xero-signature"] = Sign(evt) }));

        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Empty(await good.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        Assert.Equal(HttpStatusCode.OK, eventAnswer.StatusCode);
        Assert.Empty(await eventAnswer.Content.ReadAsByteArrayAsync());
        var payloads = await Api.SettledPayloadsAsync(source.Id);
        Assert.Equal(["stored", "rejected", "handshake"], payloads.Select(p => (string)p!["outcome"]!));
    }

    [Fact]
    public async Task A_handshake_on_a_live_mapped_source_never_becomes_an_item_or_a_delivery()
    {
        var source = await Api.SetUpSourceAsync("Live Slack", "slack", new { idPath = "challenge", titlePath = "type", liveStream = true });
        await Api.CreateSubscriptionAsync(new { app = "crm", events = new[] { "item.created", "payload.received" }, url = "https://crm.example.com/hooks", sourceId = source.Id });

        var answer = await Client.SendAsync(Post(source.Token, """{"type":"url_verification","challenge":"abc"}"""));

        Assert.Equal("abc", await answer.Content.ReadAsStringAsync());
        await AssertRecordedAsHandshakeAsync(source.Id, "Slack");
        await using var db = await Factory.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContextAsync();
        Assert.False(await db.Deliveries.AnyAsync());
        Assert.Equal(PayloadOutcome.Handshake, (await db.Payloads.SingleAsync(p => p.SourceId == source.Id)).Outcome);
    }
}
