using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookStudio.Data;
using WebhookStudio.Features.Deliveries;
using WebhookStudio.Tests.Infrastructure;
using static WebhookStudio.Tests.Infrastructure.ApiTestClient;

namespace WebhookStudio.Tests.Subscriptions;

/// <summary>/api/v1/subscriptions: create, validate, list, manage; Example and Test with real items and a local sink.</summary>
public sealed class SubscriptionApiTests(SharedStudio shared) : OutboundTestBase(shared)
{
    [Fact]
    public async Task Creating_needs_only_app_event_and_url_and_answers_the_signing_secret_once()
    {
        var response = await Api.PostSubscriptionAsync(new { app = "crm", @event = "item.created", url = "https://crm.example.com/hooks" });
        var created = await ExpectAsync(response, HttpStatusCode.Created);
        var id = Id(created);
        Assert.Equal($"/api/v1/subscriptions/{id}", response.Headers.Location?.OriginalString);
        Assert.True(created.GetProperty("active").GetBoolean());
        Assert.Equal(["item.created"], created.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("POST", created.GetProperty("method").GetString());
        Assert.Equal("default", created.GetProperty("bodyFormat").GetString());
        Assert.Equal("crm → crm.example.com", created.GetProperty("name").GetString());
        var secret = created.GetProperty("signingSecret").GetString()!;
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.True(Convert.FromBase64String(secret["whsec_".Length..]).Length >= 24);

        var fetched = await Api.GetSubscriptionAsync(id);
        Assert.Equal(JsonValueKind.Null, fetched.GetProperty("signingSecret").ValueKind);
        var list = await Api.GetJsonAsync($"{V1}/subscriptions");
        Assert.DoesNotContain(secret, list.ToJsonString(), StringComparison.Ordinal);
        await using var db = await Factory.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContextAsync();
        Assert.DoesNotContain(secret, (await db.Subscriptions.SingleAsync()).SigningSecretProtected, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Writes_need_an_editor_reads_and_tests_any_role_and_everything_a_key()
    {
        var tester = await ForRoleAsync(Factory, "Tester");
        var body = new { app = "crm", @event = "item.created", url = Sink.Url() };
        await ExpectProblemAsync(await tester.PostSubscriptionAsync(body), HttpStatusCode.Forbidden);
        var editor = await ForRoleAsync(Factory, "Editor");
        var id = Id(await editor.CreateSubscriptionAsync(body));
        await ExpectAsync(await tester.Http.GetAsync($"{V1}/subscriptions/{id}"), HttpStatusCode.OK);
        await ExpectProblemAsync(await tester.Http.DeleteAsync($"{V1}/subscriptions/{id}"), HttpStatusCode.Forbidden);
        await ExpectProblemAsync(await tester.Http.PostAsync($"{V1}/subscriptions/{id}/rotate-secret", null), HttpStatusCode.Forbidden);
        await ExpectProblemAsync(await tester.Http.PutAsJsonAsync($"{V1}/subscriptions/{id}", body), HttpStatusCode.Forbidden);
        Assert.True((await tester.TestSubscriptionAsync(id)).GetProperty("succeeded").GetBoolean());
        await tester.ExampleAsync(id);
        var anonymous = Anonymous(Factory);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.Http.GetAsync($"{V1}/subscriptions")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.Http.PostAsJsonAsync($"{V1}/subscriptions/{id}/test", new { })).StatusCode);
    }

    [Fact]
    public async Task Bad_input_is_refused_with_a_message_per_field()
    {
        var (sourceId, _) = await StripeItemAsync();
        var empty = await ExpectProblemAsync(await Api.PostSubscriptionAsync(new { }), HttpStatusCode.BadRequest);
        foreach (var field in new[] { "app", "event" })
            Assert.True(empty.GetProperty("errors").TryGetProperty(field, out _), field);
        Assert.Contains("url", await ExpectValidationErrorAsync(await Api.PostSubscriptionAsync(new { app = "a", @event = "item.created" }), "url"), StringComparison.OrdinalIgnoreCase);

        async Task<string> Error(object body, string field) => await ExpectValidationErrorAsync(await Api.PostSubscriptionAsync(body), field);
        Assert.Contains("item.exploded", await Error(new { app = "a", @event = "item.exploded", url = "https://x.example" }, "event"), StringComparison.Ordinal);
        Assert.Contains("absolute", await Error(new { app = "a", @event = "item.created", url = "ftp://x.example/" }, "url"), StringComparison.Ordinal);
        Assert.Contains("absolute", await Error(new { app = "a", @event = "item.created", url = "/relative" }, "url"), StringComparison.Ordinal);
        Assert.Contains("syntax", await Error(new { app = "a", @event = "item.created", url = "https://x.example/{{ item.id" }, "url"), StringComparison.Ordinal);
        Assert.Contains("customer.id", await Error(new { app = "a", @event = "item.created", url = "https://x.example/{{ customer.id }}" }, "url"), StringComparison.Ordinal);
        Assert.Contains("item.data.phone", await Error(new { app = "a", @event = "item.created", sourceId, url = "https://x.example/{{ item.data.phone }}" }, "url"), StringComparison.Ordinal);
        Assert.Contains("header name", await Error(new { app = "a", @event = "item.created", url = "https://x.example", headers = new[] { new { name = "Bad Header", value = "x" } } }, "headers[0].name"), StringComparison.Ordinal);
        Assert.Contains("set by the studio", await Error(new { app = "a", @event = "item.created", url = "https://x.example", headers = new[] { new { name = "webhook-signature", value = "x" } } }, "headers[0].name"), StringComparison.Ordinal);
        Assert.Contains("not valid JSON at line 1", await Error(new { app = "a", @event = "item.created", url = "https://x.example", bodyFormat = "json", bodyTemplate = "{\"a\": {{ item.id }}" }, "bodyTemplate"), StringComparison.Ordinal);
        Assert.Contains("not well-formed XML", await Error(new { app = "a", @event = "item.created", url = "https://x.example", bodyFormat = "xml", bodyTemplate = "<a>{{ item.id }}</b>" }, "bodyTemplate"), StringComparison.Ordinal);
        Assert.Contains("template", await Error(new { app = "a", @event = "item.created", url = "https://x.example", bodyFormat = "json" }, "bodyTemplate"), StringComparison.Ordinal);
        Assert.Contains("GET", await Error(new { app = "a", @event = "item.created", url = "https://x.example", method = "GET", bodyFormat = "text", bodyTemplate = "x" }, "bodyTemplate"), StringComparison.Ordinal);
        Assert.Contains("source", await Error(new { app = "a", @event = "item.created", url = "https://x.example", sourceId = 999 }, "sourceId"), StringComparison.Ordinal);
        Assert.Contains("connector", await Error(new { app = "a", @event = "item.created", url = "https://x.example", connectorId = 999 }, "connectorId"), StringComparison.Ordinal);
        Assert.Contains("JSONPath", await Error(new { app = "a", @event = "item.created", url = "https://x.example", responseMapping = new[] { new { path = "promocode", field = "promo" } } }, "responseMapping[0].path"), StringComparison.Ordinal);
        Assert.Contains("POST, PUT", await Error(new { app = "a", @event = "item.created", url = "https://x.example", method = "DELETE" }, "method"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patch_changes_only_the_fields_it_names_and_null_resets_one_to_its_default()
    {
        var id = Id(await Api.CreateSubscriptionAsync(new
        {
            name = "CRM orders", app = "crm", events = new[] { "item.created", "item.updated" }, url = "https://crm.example.com/hooks",
            headers = new[] { new { name = "X-Team", value = "sales" } }, maxAttempts = 3, bodyFormat = "text", bodyTemplate = "{{ item.title }}",
        }));
        async Task<JsonElement> Patch(object patch) =>
            await ExpectAsync(await Api.Http.PatchAsJsonAsync($"{V1}/subscriptions/{id}", patch), HttpStatusCode.OK);

        var patched = await Patch(new { url = "https://crm.example.com/v2/hooks" });
        Assert.Equal("https://crm.example.com/v2/hooks", patched.GetProperty("url").GetString());
        Assert.Equal("CRM orders", patched.GetProperty("name").GetString());
        Assert.Equal(["item.created", "item.updated"], patched.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("sales", patched.GetProperty("headers")[0].GetProperty("value").GetString());
        Assert.Equal((3, "text", "{{ item.title }}"), (patched.GetProperty("maxAttempts").GetInt32(),
            patched.GetProperty("bodyFormat").GetString(), patched.GetProperty("bodyTemplate").GetString()));

        // "event" replaces the list of events; null brings a field back to its default.
        patched = await Patch(new { @event = "item.deleted", maxAttempts = (int?)null, active = false });
        Assert.Equal(["item.deleted"], patched.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal((8, false), (patched.GetProperty("maxAttempts").GetInt32(), patched.GetProperty("active").GetBoolean()));
        Assert.Equal("https://crm.example.com/v2/hooks", (await Api.GetSubscriptionAsync(id)).GetProperty("url").GetString());
    }

    [Fact]
    public async Task Patch_refuses_bad_fields_with_their_reason_and_changes_nothing()
    {
        var id = Id(await Api.CreateSubscriptionAsync(new { app = "crm", @event = "item.created", url = "https://crm.example.com/hooks" }));
        Task<HttpResponseMessage> Patch(object patch) => Api.Http.PatchAsJsonAsync($"{V1}/subscriptions/{id}", patch);

        Assert.Contains("whole number", await ExpectValidationErrorAsync(await Patch(new { maxAttempts = "many", url = "https://elsewhere.example" }), "maxAttempts"), StringComparison.Ordinal);
        Assert.Contains("not a field", await ExpectValidationErrorAsync(await Patch(new { colour = "blue" }), "colour"), StringComparison.Ordinal);
        Assert.Contains("absolute", await ExpectValidationErrorAsync(await Patch(new { url = "/relative" }), "url"), StringComparison.Ordinal);
        Assert.Contains("JSON object", await ExpectValidationErrorAsync(await Patch(new[] { 1 }), "body"), StringComparison.Ordinal);
        Assert.Equal("https://crm.example.com/hooks", (await Api.GetSubscriptionAsync(id)).GetProperty("url").GetString());

        await ExpectProblemAsync(await Api.Http.PatchAsJsonAsync($"{V1}/subscriptions/{id + 100}", new { name = "x" }), HttpStatusCode.NotFound);
        var tester = await ForRoleAsync(Factory, "Tester");
        await ExpectProblemAsync(await tester.Http.PatchAsJsonAsync($"{V1}/subscriptions/{id}", new { name = "x" }), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task RequireHttps_refuses_http_urls()
    {
        using var strict = new StudioFactory().With("Outbound:RequireHttps", "true");
        var api = await ForRoleAsync(strict, "Editor");
        Assert.Contains("https", await ExpectValidationErrorAsync(await api.PostSubscriptionAsync(new { app = "a", @event = "item.created", url = "http://x.example/" }), "url"), StringComparison.Ordinal);
        await api.CreateSubscriptionAsync(new { app = "a", @event = "item.created", url = "https://x.example/" });
    }

    [Fact]
    public async Task Lists_filter_by_app_event_and_active_and_deleted_ones_can_be_restored_or_duplicated()
    {
        var crm = Id(await Api.CreateSubscriptionAsync(new { app = "crm", events = new[] { "item.created", "item.updated" }, url = "https://crm.example.com/" }));
        var erp = Id(await Api.CreateSubscriptionAsync(new { app = "erp", @event = "item.deleted", url = "https://erp.example.com/", active = false }));

        async Task<List<int>> Ids(string query) => (await Api.GetJsonAsync($"{V1}/subscriptions?{query}"))["items"]!.AsArray().Select(i => (int)i!["id"]!).ToList();
        Assert.Equal([crm], await Ids("app=crm"));
        Assert.Equal([crm], await Ids("event=item.updated"));
        Assert.Equal([erp], await Ids("event=item.deleted"));
        Assert.Equal([erp], await Ids("active=false"));
        Assert.Equal([crm, erp], (await Ids("")).Order());
        await ExpectValidationErrorAsync(await Api.Http.GetAsync($"{V1}/subscriptions?event=nope"), "event");

        var put = await ExpectAsync(await Api.Http.PutAsJsonAsync($"{V1}/subscriptions/{crm}", new { app = "crm", name = "CRM contacts", @event = "item.updated", url = "https://crm.example.com/v2", method = "put" }), HttpStatusCode.OK);
        Assert.Equal("CRM contacts", put.GetProperty("name").GetString());
        Assert.Equal("PUT", put.GetProperty("method").GetString());
        Assert.Equal(["item.updated"], put.GetProperty("events").EnumerateArray().Select(e => e.GetString()));

        Assert.Equal(HttpStatusCode.NoContent, (await Api.Http.DeleteAsync($"{V1}/subscriptions/{crm}")).StatusCode);
        Assert.Equal([erp], await Ids(""));
        var deleted = (await Api.GetJsonAsync($"{V1}/subscriptions/deleted"))["items"]!.AsArray();
        Assert.Equal(crm, (int)Assert.Single(deleted)!["id"]!);
        Assert.NotNull(deleted[0]!["deletedAt"]);
        await ExpectProblemAsync(await Api.Http.DeleteAsync($"{V1}/subscriptions/{crm}"), HttpStatusCode.NotFound);
        var restored = await ExpectAsync(await Api.Http.PostAsync($"{V1}/subscriptions/{crm}/restore", null), HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, restored.GetProperty("deletedAt").ValueKind);
        Assert.Equal([crm, erp], (await Ids("")).Order());

        var copy = await ExpectAsync(await Api.Http.PostAsync($"{V1}/subscriptions/{crm}/duplicate", null), HttpStatusCode.Created);
        Assert.Equal("Copy of CRM contacts", copy.GetProperty("name").GetString());
        Assert.False(copy.GetProperty("active").GetBoolean());
        Assert.StartsWith("whsec_", copy.GetProperty("signingSecret").GetString(), StringComparison.Ordinal);
        Assert.Equal("https://crm.example.com/v2", copy.GetProperty("url").GetString());
        await ExpectProblemAsync(await Api.Http.GetAsync($"{V1}/subscriptions/4242"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_default_body_holds_event_time_item_changes_and_source()
    {
        var (sourceId, itemId) = await StripeItemAsync();
        var id = Id(await Api.CreateSubscriptionAsync(new { app = "crm", @event = "item.created", sourceId, url = Sink.Url() }));
        var example = await Api.ExampleAsync(id, new { itemId });
        Assert.False(example.GetProperty("fromSample").GetBoolean());
        var request = Request(example);
        Assert.Equal("POST", request.GetProperty("method").GetString());
        Assert.Equal("application/json", request.GetProperty("contentType").GetString());
        var body = JsonNode.Parse(request.GetProperty("body").GetString()!)!.AsObject();
        Assert.Equal(["event", "occurredAt", "item", "changes", "source"], body.Select(p => p.Key));
        Assert.Equal("item.created", (string?)body["event"]);
        Assert.EndsWith("Z", (string?)body["occurredAt"], StringComparison.Ordinal);
        Assert.Equal(itemId, (long)body["item"]!["id"]!);
        Assert.Equal("in_1QxY2yAbCdEfGhIj", (string?)body["item"]!["externalId"]);
        Assert.Equal("jenny.rosen@example.com", (string?)body["item"]!["data"]!["customer_email"]);
        Assert.Equal(4900, (int)body["item"]!["data"]!["amount_paid"]!);
        var change = body["changes"]!.AsArray().First(c => (string?)c!["path"] == "status")!;
        Assert.Null(change["old"]);
        Assert.Equal("paid", (string?)change["new"]);
        Assert.Equal(sourceId, (int)body["source"]!["id"]!);
        Assert.Equal("Stripe invoices", (string?)body["source"]!["name"]);
        Assert.Equal("custom", (string?)body["source"]!["app"]);
    }

    [Theory]
    [InlineData("json", """{"email": "{{ item.data.customer_email }}", "amount": {{ item.data.amount_paid }}, "lines": {{ item.data.lines.data | json }}}""", "application/json")]
    [InlineData("xml", "<invoice id=\"{{ item.externalId }}\"><email>{{ item.data.customer_email }}</email><amount>{{ item.data.amount_paid }}</amount></invoice>", "application/xml; charset=utf-8")]
    [InlineData("text", "Invoice {{ item.externalId }} paid by {{ item.data.customer_email }}: {{ item.data.amount_paid }}", "text/plain; charset=utf-8")]
    [InlineData("form", "email={{ item.data.customer_email }}&amount={{ item.data.amount_paid }}&plan={{ item.data.lines.data[0].description }}", "application/x-www-form-urlencoded")]
    public async Task Every_body_format_renders_a_real_item_and_the_sink_receives_it(string format, string template, string contentType)
    {
        var (sourceId, itemId) = await StripeItemAsync();
        var id = Id(await Api.CreateSubscriptionAsync(new { app = "crm", @event = "item.created", sourceId, url = Sink.Url(), bodyFormat = format, bodyTemplate = template }));
        var test = await Api.TestSubscriptionAsync(id, new { itemId });
        Assert.True(test.GetProperty("succeeded").GetBoolean(), test.GetProperty("error").GetString());
        var received = Sink.Single();
        Assert.Equal(contentType, received.Header("Content-Type"));
        switch (format)
        {
            case "json":
                var json = JsonNode.Parse(received.BodyText)!;
                Assert.Equal("jenny.rosen@example.com", (string?)json["email"]);
                Assert.Equal(4900, (int)json["amount"]!);
                Assert.Equal("il_1", (string?)json["lines"]![0]!["id"]);
                break;
            case "xml":
                var xml = System.Xml.Linq.XDocument.Parse(received.BodyText).Root!;
                Assert.Equal("in_1QxY2yAbCdEfGhIj", xml.Attribute("id")!.Value);
                Assert.Equal("jenny.rosen@example.com", xml.Element("email")!.Value);
                break;
            case "text":
                Assert.Equal("Invoice in_1QxY2yAbCdEfGhIj paid by jenny.rosen@example.com: 4900", received.BodyText);
                break;
            default:
                var form = System.Web.HttpUtility.ParseQueryString(received.BodyText);
                Assert.Equal("jenny.rosen@example.com", form["email"]);
                Assert.Equal("1 × Pro plan (at €49.00 / month)", form["plan"]);
                break;
        }
        Assert.Equal(received.BodyText, Request(test).GetProperty("body").GetString());
    }

    [Fact]
    public async Task A_json_template_that_breaks_for_an_item_is_an_error_with_the_line_at_example_time()
    {
        var (sourceId, itemId) = await StripeItemAsync();
        // Valid for numbers, not for this item's text: the check at save time lets it through.
        var id = Id(await Api.CreateSubscriptionAsync(new { app = "crm", @event = "item.created", sourceId, url = Sink.Url(), bodyFormat = "json", bodyTemplate = "{\n  \"email\": {{ item.data.customer_email }}\n}" }));
        var error = await ExpectValidationErrorAsync(await Api.ExampleResponseAsync(id, new { itemId }), "bodyTemplate");
        Assert.Contains("line 2", error, StringComparison.Ordinal);
        Assert.Empty(Sink.Requests);
    }

    [Fact]
    public async Task Get_sends_parameters_in_the_query_string_or_in_headers_and_no_body()
    {
        var (sourceId, itemId) = await StripeItemAsync();
        var query = new[] { new { name = "email", value = "{{ item.data.customer_email }}" }, new { name = "plan name", value = "{{ item.data.lines.data[0].description }}" } };
        var id = Id(await Api.CreateSubscriptionAsync(new { app = "crm", @event = "item.created", sourceId, method = "GET", url = Sink.Url("/lookup?fixed=1"), queryParameters = query }));
        var test = await Api.TestSubscriptionAsync(id, new { itemId });
        Assert.True(test.GetProperty("succeeded").GetBoolean(), test.GetProperty("error").GetString());
        var received = Sink.Requests.Last();
        Assert.Equal("GET", received.Method);
        var parsed = System.Web.HttpUtility.ParseQueryString(received.Query);
        Assert.Equal("1", parsed["fixed"]);
        Assert.Equal("jenny.rosen@example.com", parsed["email"]);
        Assert.Equal("1 × Pro plan (at €49.00 / month)", parsed["plan name"]);
        Assert.Empty(received.Body);
        Assert.Null(received.Header("Content-Type"));

        var headerQuery = new[] { new { name = "X-Email", value = "{{ item.data.customer_email }}" } };
        var headersId = Id(await Api.CreateSubscriptionAsync(new { app = "crm", @event = "item.created", sourceId, method = "GET", url = Sink.Url("/lookup"), queryParameters = headerQuery, parametersInHeaders = true }));
        await Api.TestSubscriptionAsync(headersId, new { itemId });
        var viaHeaders = Sink.Requests.Last();
        Assert.Equal("", viaHeaders.Query);
        Assert.Equal("jenny.rosen@example.com", viaHeaders.Header("X-Email"));
    }

    [Fact]
    public async Task Test_sends_now_shows_the_answer_records_a_test_delivery_and_signs_verifiably()
    {
        var (sourceId, itemId) = await StripeItemAsync();
        Sink.Respond = async (_, context) =>
        {
            context.Response.StatusCode = 201;
            context.Response.Headers["X-Receiver"] = "sink";
            await context.Response.WriteAsync("""{"received":true}""");
        };
        var created = await Api.CreateSubscriptionAsync(new { app = "crm", @event = "item.created", sourceId, url = Sink.Url(), headers = new { X_Team = "{{ source.name }}" } });
        var secret = created.GetProperty("signingSecret").GetString()!;
        var test = await Api.TestSubscriptionAsync(Id(created), new { itemId });

        Assert.True(test.GetProperty("succeeded").GetBoolean());
        Assert.Equal(201, test.GetProperty("response").GetProperty("status").GetInt32());
        Assert.Equal("""{"received":true}""", test.GetProperty("response").GetProperty("body").GetString());
        Assert.Contains(test.GetProperty("response").GetProperty("headers").EnumerateArray(), h => h.GetProperty("name").GetString() == "X-Receiver");
        Assert.True(test.GetProperty("durationMs").GetDouble() > 0);

        var received = Sink.Single();
        Assert.Equal("Stripe invoices", received.Header("X_Team"));
        var webhookId = received.Header("webhook-id")!;
        var timestamp = received.Header("webhook-timestamp")!;
        Assert.InRange(long.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        Assert.Equal([ExpectedSignature(secret, webhookId, timestamp, received.Body)], received.Header("webhook-signature")!.Split(' '));
        Assert.StartsWith("••••", RequestHeader(Request(test), "webhook-signature"), StringComparison.Ordinal);

        await using var db = await Factory.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContextAsync();
        var delivery = await db.Deliveries.SingleAsync(d => d.Id == test.GetProperty("deliveryId").GetInt64());
        Assert.True(delivery.IsTest);
        Assert.Equal(DeliveryStatus.Delivered, delivery.Status);
        Assert.Equal(webhookId, delivery.WebhookId);
        Assert.Equal(itemId, delivery.ItemId);
        var attempt = await db.DeliveryAttempts.SingleAsync(a => a.DeliveryId == delivery.Id);
        Assert.Equal(201, attempt.ResponseStatus);
        Assert.Equal("""{"received":true}""", attempt.ResponseBody);
        Assert.DoesNotContain(received.Header("webhook-signature")!, attempt.Request, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_rotation_old_and_new_secret_both_sign_for_a_day()
    {
        var created = await Api.CreateSubscriptionAsync(new { app = "crm", @event = "item.created", url = Sink.Url() });
        var id = Id(created);
        var oldSecret = created.GetProperty("signingSecret").GetString()!;
        var rotated = await ExpectAsync(await Api.Http.PostAsync($"{V1}/subscriptions/{id}/rotate-secret", null), HttpStatusCode.OK);
        var newSecret = rotated.GetProperty("signingSecret").GetString()!;
        Assert.NotEqual(oldSecret, newSecret);
        var until = rotated.GetProperty("previousSigningSecretExpiresAt").GetDateTime();
        Assert.InRange(until, DateTime.UtcNow.AddHours(23.9), DateTime.UtcNow.AddHours(24.1));

        await Api.TestSubscriptionAsync(id, new { activity = new { email = "hand@example.com" } });
        var received = Sink.Single();
        Assert.Contains("hand@example.com", received.BodyText, StringComparison.Ordinal);
        var signatures = received.Header("webhook-signature")!.Split(' ');
        var (webhookId, timestamp) = (received.Header("webhook-id")!, received.Header("webhook-timestamp")!);
        Assert.Equal([ExpectedSignature(newSecret, webhookId, timestamp, received.Body), ExpectedSignature(oldSecret, webhookId, timestamp, received.Body)], signatures);
    }

    [Fact]
    public async Task Test_failures_are_explained_in_plain_words_and_recorded()
    {
        Sink.Respond = async (_, context) =>
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsJsonAsync(new { error = "unknown customer" });
        };
        var id = Id(await Api.CreateSubscriptionAsync(new { app = "crm", @event = "item.created", url = Sink.Url() }));
        var test = await Api.TestSubscriptionAsync(id);
        Assert.False(test.GetProperty("succeeded").GetBoolean());
        Assert.True(test.GetProperty("fromSample").GetBoolean());
        Assert.Equal("client_error", test.GetProperty("failure").GetString());
        Assert.Contains("unknown customer", test.GetProperty("error").GetString(), StringComparison.Ordinal);

        var blocked = Id(await Api.CreateSubscriptionAsync(new { app = "crm", @event = "item.created", url = "https://crm.example.com/hooks" }));
        await Api.RepointSubscriptionAsync(blocked, "http://169.254.169.254/latest/meta-data/");
        var refused = await Api.TestSubscriptionAsync(blocked);
        Assert.Equal("blocked_address", refused.GetProperty("failure").GetString());
        Assert.Equal(JsonValueKind.Null, refused.GetProperty("response").ValueKind);

        await using var db = await Factory.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContextAsync();
        Assert.Equal(2, await db.Deliveries.CountAsync(d => d.IsTest && d.Status == DeliveryStatus.Failed));
    }

    [Fact]
    public async Task Response_mapping_writes_the_answer_onto_the_item_as_a_recorded_change()
    {
        var (sourceId, itemId) = await StripeItemAsync();
        Sink.Respond = (_, context) => context.Response.WriteAsJsonAsync(new { promocode = "SAVE10", account = new { tier = "gold" } });
        var id = Id(await Api.CreateSubscriptionAsync(new
        {
            app = "crm", @event = "item.created", sourceId, url = Sink.Url(), name = "Promo",
            responseMapping = new[] { new { path = "$.promocode", field = "promo_code" }, new { path = "$.account.tier", field = "crm.tier" }, new { path = "$.missing", field = "x" } },
        }));
        // A Tester's Test, and an Editor's without asking, only show what the mapping would write.
        var tester = await ForRoleAsync(Factory, "Tester");
        var preview = await tester.TestSubscriptionAsync(id, new { itemId });
        Assert.False(preview.GetProperty("mapping").GetProperty("applied").GetBoolean());
        Assert.Equal(["promo_code", "crm.tier"], preview.GetProperty("mapping").GetProperty("written").EnumerateArray().Select(w => w.GetString()));
        Assert.False((await Api.TestSubscriptionAsync(id, new { itemId })).GetProperty("mapping").GetProperty("applied").GetBoolean());
        Assert.Equal(1, (await Api.GetItemAsync(itemId)).GetProperty("version").GetInt32());
        Assert.False((await Api.GetItemAsync(itemId)).GetProperty("data").TryGetProperty("promo_code", out _));
        await ExpectProblemAsync(await tester.Http.PostAsJsonAsync($"{V1}/subscriptions/{id}/test", new { itemId, applyMapping = true }), HttpStatusCode.Forbidden);
        Assert.Equal(1, (await Api.GetItemAsync(itemId)).GetProperty("version").GetInt32());

        var test = await Api.TestSubscriptionAsync(id, new { itemId, applyMapping = true });
        Assert.True(test.GetProperty("mapping").GetProperty("applied").GetBoolean());
        Assert.Equal(["promo_code", "crm.tier"], test.GetProperty("mapping").GetProperty("written").EnumerateArray().Select(w => w.GetString()));
        Assert.Contains("$.missing", Assert.Single(test.GetProperty("mapping").GetProperty("problems").EnumerateArray()).GetString(), StringComparison.Ordinal);

        var item = await Api.GetItemAsync(itemId);
        Assert.Equal("SAVE10", item.GetProperty("data").GetProperty("promo_code").GetString());
        Assert.Equal("gold", item.GetProperty("data").GetProperty("crm").GetProperty("tier").GetString());
        Assert.Equal(2, item.GetProperty("version").GetInt32());
        await using var db = await Factory.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContextAsync();
        var change = await db.ItemChanges.Where(c => c.ItemId == itemId).OrderByDescending(c => c.Id).FirstAsync();
        Assert.Equal(id, change.SubscriptionId);
        Assert.Contains("Promo", change.Note, StringComparison.Ordinal);
        Assert.Contains("promo_code", change.Fields, StringComparison.Ordinal);

        // Later templates see the value.
        var later = Id(await Api.CreateSubscriptionAsync(new { app = "crm", @event = "item.updated", sourceId, url = Sink.Url(), bodyFormat = "text", bodyTemplate = "code={{ item.data.promo_code }}" }));
        Assert.Equal("code=SAVE10", Request(await Api.ExampleAsync(later, new { itemId })).GetProperty("body").GetString());
        // The same answer again changes nothing, so no new change is recorded.
        await Api.TestSubscriptionAsync(id, new { itemId, applyMapping = true });
        Assert.Equal(change.Id, (await db.ItemChanges.Where(c => c.ItemId == itemId).OrderByDescending(c => c.Id).FirstAsync()).Id);
    }

    [Fact]
    public async Task The_variables_of_a_scope_come_from_its_items_or_a_sample()
    {
        var (sourceId, _) = await StripeItemAsync();
        var real = await Api.GetJsonAsync($"{V1}/subscriptions/variables?sourceId={sourceId}");
        Assert.False((bool)real["fromSample"]!);
        var paths = real["variables"]!.AsArray().Select(v => (string?)v!["path"]).ToList();
        Assert.Contains("item.data.customer_email", paths);
        Assert.Contains("item.data.lines.data[].description", paths);
        Assert.Contains("source.name", paths);
        Assert.Contains("changes[].path", paths);
        var empty = await Api.CreateSourceAsync("Empty");
        var sample = await Api.GetJsonAsync($"{V1}/subscriptions/variables?sourceId={Id(empty)}");
        Assert.True((bool)sample["fromSample"]!);
        Assert.Contains("item.data.email", sample["variables"]!.AsArray().Select(v => (string?)v!["path"]));
    }

    /// <summary>Standard Webhooks, computed here independently of the app: HMAC-SHA256 keyed with the base64 after whsec_.</summary>
    private static string ExpectedSignature(string secret, string webhookId, string timestamp, byte[] body)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var signed = Encoding.UTF8.GetBytes($"{webhookId}.{timestamp}.").Concat(body).ToArray();
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
    }
}
