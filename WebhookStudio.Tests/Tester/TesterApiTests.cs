using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookStudio.Data;
using WebhookStudio.Tests.Infrastructure;
using WebhookStudio.Tests.Subscriptions;
using static WebhookStudio.Tests.Infrastructure.ApiTestClient;

namespace WebhookStudio.Tests.Tester;

/// <summary>/api/v1/tester/send and history, against a local sink (loopback allowed by Outbound:AllowedNetworks).</summary>
public sealed class TesterApiTests(SharedStudio shared) : OutboundTestBase(shared)
{
    private Task<HttpResponseMessage> SendAsync(object request, ApiTestClient? client = null) =>
        (client ?? Api).Http.PostAsJsonAsync($"{V1}/tester/send", request);

    [Fact]
    public async Task Send_answers_status_headers_time_and_body_and_the_sink_gets_exactly_the_request()
    {
        Sink.Respond = async (_, context) =>
        {
            context.Response.StatusCode = 201;
            context.Response.Headers["X-Order"] = "o-42";
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"id\":\"o-42\",\"ok\":true}");
        };
        var result = await ExpectAsync(await SendAsync(new
        {
            method = "PUT",
            url = Sink.Url("/orders/42?x=1"),
            headers = new[] { new { name = "X-Trace", value = "abc" } },
            body = "{\"qty\": 3}",
            contentType = "application/json",
        }), HttpStatusCode.OK);

        Assert.True(result.GetProperty("succeeded").GetBoolean());
        Assert.Equal(201, result.GetProperty("status").GetInt32());
        Assert.Contains(result.GetProperty("headers").EnumerateArray(), h => h.GetProperty("name").GetString() == "X-Order" && h.GetProperty("value").GetString() == "o-42");
        Assert.Equal("{\"id\":\"o-42\",\"ok\":true}", result.GetProperty("body").GetString());
        Assert.True(result.GetProperty("isJson").GetBoolean());
        Assert.Contains("\n", result.GetProperty("prettyBody").GetString(), StringComparison.Ordinal);
        Assert.True(result.GetProperty("durationMs").GetInt32() >= 0);
        Assert.False(result.GetProperty("viaStudio").GetBoolean());

        var received = Sink.Single();
        Assert.Equal("PUT", received.Method);
        Assert.Equal("/orders/42", received.Path);
        Assert.Equal("?x=1", received.Query);
        Assert.Equal("abc", received.Header("X-Trace"));
        Assert.StartsWith("application/json", received.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Equal("{\"qty\": 3}", received.BodyText);
    }

    [Fact]
    public async Task A_failure_is_told_in_plain_words_and_a_blocked_address_stays_blocked()
    {
        Sink.Respond = async (_, context) => { context.Response.StatusCode = 500; await context.Response.WriteAsync("{\"message\":\"database down\"}"); };
        var failed = await ExpectAsync(await SendAsync(new { method = "GET", url = Sink.Url() }), HttpStatusCode.OK);
        Assert.False(failed.GetProperty("succeeded").GetBoolean());
        Assert.Equal(500, failed.GetProperty("status").GetInt32());
        Assert.Contains("database down", failed.GetProperty("error").GetString(), StringComparison.Ordinal);

        var metadata = await ExpectAsync(await SendAsync(new { method = "GET", url = "http://169.254.169.254/latest/meta-data/" }), HttpStatusCode.OK);
        Assert.Equal("blocked_address", metadata.GetProperty("failure").GetString());
        Assert.Equal(JsonValueKind.Null, metadata.GetProperty("status").ValueKind);
        Assert.Contains("link-local", metadata.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_input_names_each_field()
    {
        var response = await SendAsync(new { method = "FETCH", url = "ftp://x", headers = new[] { new { name = "Bad Header", value = "v" }, new { name = "Host", value = "x" } } });
        await ExpectValidationErrorAsync(response, "method");
        response = await SendAsync(new { method = "FETCH", url = "ftp://x", headers = new[] { new { name = "Bad Header", value = "v" }, new { name = "Host", value = "x" } } });
        var problem = await ExpectProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("url", out _));
        Assert.True(errors.TryGetProperty("headers[0].name", out _));
        Assert.True(errors.TryGetProperty("headers[1].name", out _));
        await ExpectValidationErrorAsync(await SendAsync(new { method = "POST", url = Sink.Url(), connectorId = 999 }), "connectorId");
    }

    [Fact]
    public async Task History_is_per_caller_masks_hand_typed_secrets_and_a_masked_value_must_be_typed_again()
    {
        await ExpectAsync(await SendAsync(new
        {
            method = "POST",
            url = Sink.Url("/h?api_key=supersecretvalue123&page=2"),
            headers = new[] { new { name = "Authorization", value = "Bearer hand-typed-token-1234567" }, new { name = "X-Plain", value = "visible" } },
            body = "{\"a\":1}",
        }), HttpStatusCode.OK);
        Assert.Equal("Bearer hand-typed-token-1234567", Sink.Single().Header("Authorization"));

        var history = await ExpectAsync(await Api.Http.GetAsync($"{V1}/tester/history"), HttpStatusCode.OK);
        var entry = Assert.Single(history.GetProperty("items").EnumerateArray());
        Assert.Equal("POST", entry.GetProperty("method").GetString());
        Assert.Equal(200, entry.GetProperty("status").GetInt32());
        var text = entry.GetRawText();
        Assert.DoesNotContain("hand-typed-token", text, StringComparison.Ordinal);
        Assert.DoesNotContain("supersecretvalue123", text, StringComparison.Ordinal);
        Assert.Contains("page=2", entry.GetProperty("url").GetString(), StringComparison.Ordinal);
        Assert.Equal("visible", RequestHeader(entry.GetProperty("request"), "X-Plain"));
        await using (var db = await Factory.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContextAsync())
            Assert.DoesNotContain(await db.TesterHistory.Select(h => h.Headers + h.Url).ToListAsync(), s => s.Contains("hand-typed", StringComparison.Ordinal));

        // Re-sending the entry as stored is refused for the masked value, by name, instead of sending "••••".
        var request = entry.GetProperty("request");
        var resend = await Api.Http.PostAsync($"{V1}/tester/send", new StringContent(request.GetRawText(), Encoding.UTF8, "application/json"));
        Assert.Contains("masked", await ExpectValidationErrorAsync(resend, "headers[0].value"), StringComparison.Ordinal);

        var tester = await ForRoleAsync(Factory, "Tester");
        var theirs = await ExpectAsync(await tester.Http.GetAsync($"{V1}/tester/history"), HttpStatusCode.OK);
        Assert.Equal(0, theirs.GetProperty("total").GetInt32());
        await ExpectProblemAsync(await tester.Http.GetAsync($"{V1}/tester/history/{entry.GetProperty("id").GetInt64()}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_tester_may_send_and_use_a_connector_only_where_its_subscriptions_send()
    {
        var connector = await Api.CreateConnectorAsync(new { name = "CRM token", kind = "bearer", secret = "crm-secret-token-value" });
        var tester = await ForRoleAsync(Factory, "Tester");
        var refused = await SendAsync(new { method = "GET", url = Sink.Url("/steal"), connectorId = Id(connector) }, tester);
        Assert.Contains("Testers may send connector", await ExpectValidationErrorAsync(refused, "connectorId"), StringComparison.Ordinal);
        Assert.Empty(Sink.Requests);

        await Api.CreateSubscriptionAsync(new { app = "crm", @event = "item.created", url = Sink.Url("/crm"), connectorId = Id(connector) });
        var sent = await ExpectAsync(await SendAsync(new { method = "GET", url = Sink.Url("/crm/ping"), connectorId = Id(connector) }, tester), HttpStatusCode.OK);
        Assert.True(sent.GetProperty("succeeded").GetBoolean());
        Assert.Equal("Bearer crm-secret-token-value", Sink.Single().Header("Authorization"));
        Assert.DoesNotContain("crm-secret-token-value", sent.GetRawText(), StringComparison.Ordinal);
        var history = await ExpectAsync(await tester.Http.GetAsync($"{V1}/tester/history"), HttpStatusCode.OK);
        Assert.DoesNotContain("crm-secret-token-value", history.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(Id(connector), history.GetProperty("items")[0].GetProperty("request").GetProperty("connectorId").GetInt32());
    }

    [Fact]
    public async Task Prefilled_from_a_subscription_it_carries_no_secret_and_sending_signs_it_again()
    {
        var (_, itemId) = await StripeItemAsync();
        var subscription = await Api.CreateSubscriptionAsync(new { app = "crm", @event = "item.created", url = Sink.Url("/crm") });
        var secret = subscription.GetProperty("signingSecret").GetString()!;
        var prefill = await ExpectAsync(await Api.Http.GetAsync($"{V1}/tester/prefill/subscription/{Id(subscription)}?itemId={itemId}"), HttpStatusCode.OK);
        Assert.Equal("POST", prefill.GetProperty("method").GetString());
        Assert.Null(RequestHeader(prefill, "webhook-signature"));
        Assert.Equal(Id(subscription), prefill.GetProperty("signAsSubscriptionId").GetInt32());
        Assert.Contains("in_1QxY2yAbCdEfGhIj", prefill.GetProperty("body").GetString(), StringComparison.Ordinal);

        await ExpectAsync(await Api.Http.PostAsync($"{V1}/tester/send", new StringContent(prefill.GetRawText(), Encoding.UTF8, "application/json")), HttpStatusCode.OK);
        var received = Sink.Single();
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var signed = Encoding.UTF8.GetBytes($"{received.Header("webhook-id")}.{received.Header("webhook-timestamp")}.").Concat(received.Body).ToArray();
        Assert.Equal("v1," + Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData(key, signed)), received.Header("webhook-signature"));
    }
}

/// <summary>The studio's own receiver is reachable from the tester without any Outbound:AllowedNetworks; other loopback addresses are not.</summary>
public sealed class TesterOwnAddressTests(SharedStudio shared) : ApiTestBase(shared)
{
    [Fact]
    public async Task The_own_receiver_answers_202_in_process_while_other_loopback_ports_and_paths_stay_blocked()
    {
        var source = await Api.SetUpSourceAsync("Tester target", "stripe");
        var prefill = await ExpectAsync(await Api.Http.GetAsync($"{V1}/tester/prefill/source/{source.Id}"), HttpStatusCode.OK);
        Assert.Equal($"http://localhost/hooks/{source.Token}", prefill.GetProperty("url").GetString());
        Assert.Contains("invoice", prefill.GetProperty("body").GetString(), StringComparison.Ordinal);

        var result = await ExpectAsync(await Api.Http.PostAsync($"{V1}/tester/send", new StringContent(prefill.GetRawText(), Encoding.UTF8, "application/json")), HttpStatusCode.OK);
        Assert.Equal(202, result.GetProperty("status").GetInt32());
        Assert.True(result.GetProperty("viaStudio").GetBoolean());
        var payloadId = JsonDocument.Parse(result.GetProperty("body").GetString()!).RootElement.GetProperty("payloadId").GetInt64();
        await Api.GetPayloadAsync(source.Id, payloadId);

        // An unknown token is the receiver's own 404, a GET the router's 405: still the studio's answers, not a bypass.
        var unknown = await ExpectAsync(await Api.Http.PostAsJsonAsync($"{V1}/tester/send", new { method = "POST", url = "http://localhost/hooks/nope", body = "{}" }), HttpStatusCode.OK);
        Assert.Equal(404, unknown.GetProperty("status").GetInt32());
        var get = await ExpectAsync(await Api.Http.PostAsJsonAsync($"{V1}/tester/send", new { method = "GET", url = $"http://localhost/hooks/{source.Token}" }), HttpStatusCode.OK);
        Assert.Equal(405, get.GetProperty("status").GetInt32());

        foreach (var blocked in new[] { "http://localhost/api/v1/me", "http://127.0.0.1:5999/hooks/x", $"http://localhost:81/hooks/{source.Token}", "http://[::1]/hooks/x" })
        {
            var answer = await ExpectAsync(await Api.Http.PostAsJsonAsync($"{V1}/tester/send", new { method = "GET", url = blocked }), HttpStatusCode.OK);
            Assert.False(answer.GetProperty("viaStudio").GetBoolean());
            Assert.Equal("blocked_address", answer.GetProperty("failure").GetString());
        }
    }
}
