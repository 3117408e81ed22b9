using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WebhookStudio.Tests.Infrastructure;
using static WebhookStudio.Tests.Infrastructure.ApiTestClient;

namespace WebhookStudio.Tests.Sources;

/// <summary>/api/v1/sources: create, list, get, patch, pause/resume, rotate-token, delete.</summary>
public sealed class SourceApiTests(SharedStudio shared) : SharedStudioTests(shared)
{

    private Task<ApiTestClient> Editor() => ApiTestClient.ForRoleAsync(Factory, "Editor");

    private Task<ApiTestClient> Tester() => ApiTestClient.ForRoleAsync(Factory, "Tester");

    private static readonly byte[] Ping = Encoding.UTF8.GetBytes("""{"id":"evt_1","type":"ping"}""");

    [Fact]
    public async Task Creating_a_source_answers_201_with_location_and_a_receiver_url()
    {
        var editor = await Editor();
        var response = await editor.Http.PostAsJsonAsync($"{V1}/sources", new { name = "  Stripe invoices ", app = "Stripe" });
        var source = await ExpectAsync(response, HttpStatusCode.Created);

        var id = Id(source);
        Assert.Equal($"{V1}/sources/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("Stripe invoices", source.GetProperty("name").GetString());
        Assert.Equal("stripe", source.GetProperty("app").GetString());
        var token = source.GetProperty("token").GetString()!;
        Assert.True(token.Length >= 22, $"A token of 128 bits or more is at least 22 base64url characters, got '{token}'.");
        Assert.Matches("^[A-Za-z0-9_-]+$", token);
        Assert.EndsWith($"/hooks/{token}", ReceiverUrl(source), StringComparison.Ordinal);
        Assert.True(Uri.IsWellFormedUriString(ReceiverUrl(source), UriKind.Absolute));
        Assert.Equal("awaiting_first_payload", source.GetProperty("status").GetString());
        Assert.False(source.GetProperty("liveStream").GetBoolean());
        Assert.Equal("$", source.GetProperty("entityPath").GetString());
        Assert.Equal("update", source.GetProperty("fetchMode").GetString());
        Assert.Equal(JsonValueKind.Null, source.GetProperty("filter").ValueKind);
        Assert.Equal("none", source.GetProperty("verification").GetProperty("kind").GetString());
        Assert.False(source.GetProperty("verification").GetProperty("secretSet").GetBoolean());
        Assert.EndsWith("Z", source.GetProperty("createdAt").GetString(), StringComparison.Ordinal);

        var fetched = await editor.GetSourceAsync(id);
        Assert.Equal(token, fetched.GetProperty("token").GetString());
        Assert.Equal(ReceiverUrl(source), ReceiverUrl(fetched));
        Assert.EndsWith("Z", fetched.GetProperty("createdAt").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("Z", fetched.GetProperty("updatedAt").GetString(), StringComparison.Ordinal);

        var other = await editor.CreateSourceAsync("GitHub pushes");
        Assert.NotEqual(token, other.GetProperty("token").GetString());
        Assert.Equal("custom", other.GetProperty("app").GetString());
    }

    [Fact]
    public async Task Creating_a_source_without_a_name_is_400_with_errors_name()
    {
        var editor = await Editor();
        foreach (var body in new object[] { new { app = "stripe" }, new { name = "   " } })
            await ExpectValidationErrorAsync(await editor.Http.PostAsJsonAsync($"{V1}/sources", body), "name");
        await ExpectValidationErrorAsync(await editor.Http.PostAsJsonAsync($"{V1}/sources", new { name = new string('x', 201) }), "name");

        var list = await ExpectAsync(await editor.Http.GetAsync($"{V1}/sources"), HttpStatusCode.OK);
        Assert.Equal(0, list.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("POST", "{\"name\":")]
    [InlineData("POST", "{\"name\":5}")]
    [InlineData("POST", "")]
    [InlineData("PATCH", "{\"name\":")]
    public async Task An_unreadable_body_is_400_problem_details(string method, string body)
    {
        var editor = await Editor();
        var url = method == "POST" ? $"{V1}/sources" : $"{V1}/sources/{Id(await editor.CreateSourceAsync())}";
        using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

        await ExpectProblemAsync(await editor.Http.SendAsync(request), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Patch_needs_a_json_object()
    {
        var editor = await Editor();
        var id = Id(await editor.CreateSourceAsync());

        await ExpectValidationErrorAsync(await editor.PatchRawAsync(id, "[]"), "body");
        // Every wrong type is a message for its field, never a 500.
        var wrongTypes = await editor.PatchRawAsync(id, """{"name":5,"liveStream":"yes","retentionDays":"week","dedupKey":1,"verification":{"kind":"stripe","secret":"s","toleranceSeconds":"60"}}""");
        var errors = (await ExpectProblemAsync(wrongTypes, HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.Equal(["dedupKey", "liveStream", "name", "retentionDays", "verification.toleranceSeconds"],
            errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Equal("Stripe invoices", (await editor.GetSourceAsync(id)).GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("Admin", HttpStatusCode.Created)]
    [InlineData("Editor", HttpStatusCode.Created)]
    [InlineData("Tester", HttpStatusCode.Forbidden)]
    public async Task Only_admins_and_editors_create_sources(string role, HttpStatusCode expected)
    {
        var client = await ApiTestClient.ForRoleAsync(Factory, role);
        var response = await client.Http.PostAsJsonAsync($"{V1}/sources", new { name = "Stripe invoices" });
        if (expected == HttpStatusCode.Created)
            await ExpectAsync(response, expected);
        else
            await ExpectProblemAsync(response, expected);
    }

    [Fact]
    public async Task Without_a_key_every_source_endpoint_answers_401()
    {
        var source = await (await Editor()).CreateSourceAsync();
        var id = Id(source);
        var anonymous = ApiTestClient.Anonymous(Factory).Http;
        var calls = new Func<Task<HttpResponseMessage>>[]
        {
            () => anonymous.PostAsJsonAsync($"{V1}/sources", new { name = "x" }),
            () => anonymous.GetAsync($"{V1}/sources"),
            () => anonymous.GetAsync($"{V1}/sources/{id}"),
            () => anonymous.PatchAsync($"{V1}/sources/{id}", JsonContent.Create(new { name = "x" })),
            () => anonymous.PostAsync($"{V1}/sources/{id}/pause", null),
            () => anonymous.PostAsync($"{V1}/sources/{id}/resume", null),
            () => anonymous.PostAsync($"{V1}/sources/{id}/rotate-token", null),
            () => anonymous.DeleteAsync($"{V1}/sources/{id}"),
        };
        foreach (var call in calls)
            Assert.Equal(HttpStatusCode.Unauthorized, (await call()).StatusCode);

        var unchanged = await (await Tester()).GetSourceAsync(id);
        Assert.Equal(source.GetProperty("token").GetString(), unchanged.GetProperty("token").GetString());
        Assert.Equal("Stripe invoices", unchanged.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Sources_are_listed_by_name_in_pages()
    {
        var editor = await Editor();
        foreach (var name in new[] { "Charlie", "Alpha", "Bravo" })
            await editor.CreateSourceAsync(name);
        var tester = await Tester();

        var first = await ExpectAsync(await tester.Http.GetAsync($"{V1}/sources?page=1&pageSize=2"), HttpStatusCode.OK);
        Assert.Equal(3, first.GetProperty("total").GetInt32());
        Assert.Equal(1, first.GetProperty("page").GetInt32());
        Assert.Equal(2, first.GetProperty("pageSize").GetInt32());
        Assert.Equal(["Alpha", "Bravo"], first.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.All(first.GetProperty("items").EnumerateArray(), s => Assert.EndsWith($"/hooks/{s.GetProperty("token").GetString()}", ReceiverUrl(s), StringComparison.Ordinal));

        var second = await ExpectAsync(await tester.Http.GetAsync($"{V1}/sources?page=2&pageSize=2"), HttpStatusCode.OK);
        Assert.Equal(3, second.GetProperty("total").GetInt32());
        Assert.Equal(["Charlie"], second.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("name").GetString()));

        var defaults = await ExpectAsync(await tester.Http.GetAsync($"{V1}/sources"), HttpStatusCode.OK);
        Assert.Equal(1, defaults.GetProperty("page").GetInt32());
        Assert.Equal(50, defaults.GetProperty("pageSize").GetInt32());
        Assert.Equal(3, defaults.GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=501", "pageSize")]
    [InlineData("page=0", "page")]
    public async Task Invalid_paging_is_400_for_that_parameter(string query, string field)
    {
        var tester = await Tester();
        await ExpectValidationErrorAsync(await tester.Http.GetAsync($"{V1}/sources?{query}"), field);
    }

    [Fact]
    public async Task An_unknown_source_is_404_problem_details_on_every_endpoint()
    {
        var editor = await Editor();
        var deleted = Id(await editor.CreateSourceAsync());
        Assert.Equal(HttpStatusCode.NoContent, (await editor.Http.DeleteAsync($"{V1}/sources/{deleted}")).StatusCode);

        foreach (var id in new[] { 4242, deleted })
        {
            var calls = new Func<Task<HttpResponseMessage>>[]
            {
                () => editor.Http.GetAsync($"{V1}/sources/{id}"),
                () => editor.PatchAsync(id, new { name = "x" }),
                () => editor.Http.PostAsync($"{V1}/sources/{id}/pause", null),
                () => editor.Http.PostAsync($"{V1}/sources/{id}/resume", null),
                () => editor.Http.PostAsync($"{V1}/sources/{id}/rotate-token", null),
                () => editor.Http.DeleteAsync($"{V1}/sources/{id}"),
            };
            foreach (var call in calls)
            {
                var problem = await ExpectProblemAsync(await call(), HttpStatusCode.NotFound);
                Assert.Contains($"{id}", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Patch_changes_the_mapping_and_the_fetch_mode()
    {
        var editor = await Editor();
        var created = await editor.CreateSourceAsync();
        var id = Id(created);

        var patched = await editor.PatchSourceAsync(id, new
        {
            name = "Stripe paid invoices",
            entityPath = "$.data.object",
            idPath = "id",
            titlePath = "customer_email",
            fetchMode = "new",
        });
        Assert.Equal("Stripe paid invoices", patched.GetProperty("name").GetString());
        Assert.Equal("$.data.object", patched.GetProperty("entityPath").GetString());
        Assert.Equal("id", patched.GetProperty("idPath").GetString());
        Assert.Equal("customer_email", patched.GetProperty("titlePath").GetString());
        Assert.Equal("new", patched.GetProperty("fetchMode").GetString());
        Assert.Equal("configured", patched.GetProperty("status").GetString());
        Assert.False(patched.GetProperty("liveStream").GetBoolean());
        Assert.Equal(created.GetProperty("token").GetString(), patched.GetProperty("token").GetString());
        Assert.EndsWith("Z", patched.GetProperty("updatedAt").GetString(), StringComparison.Ordinal);

        var fetched = await editor.GetSourceAsync(id);
        Assert.Equal("$.data.object", fetched.GetProperty("entityPath").GetString());
        Assert.Equal("new", fetched.GetProperty("fetchMode").GetString());

        // Absent fields are left as they are; only what is sent changes.
        var update = await editor.PatchSourceAsync(id, new { fetchMode = "update" });
        Assert.Equal("update", update.GetProperty("fetchMode").GetString());
        Assert.Equal("customer_email", update.GetProperty("titlePath").GetString());
        Assert.Equal("Stripe paid invoices", update.GetProperty("name").GetString());

        // A name follows the same rules as on creation.
        await ExpectValidationErrorAsync(await editor.PatchAsync(id, new { name = " " }), "name");
        await ExpectValidationErrorAsync(await editor.PatchAsync(id, new { name = new string('x', 201) }), "name");
        Assert.Equal("Stripe paid invoices", (await editor.GetSourceAsync(id)).GetProperty("name").GetString());

        // An empty title path removes the title.
        var untitled = await editor.PatchSourceAsync(id, new { titlePath = "" });
        Assert.Equal(JsonValueKind.Null, untitled.GetProperty("titlePath").ValueKind);
        Assert.Equal("id", untitled.GetProperty("idPath").GetString());
    }

    [Theory]
    [InlineData("\"replace\"")]
    [InlineData("\"7\"")]
    [InlineData("1")]
    [InlineData("null")]
    public async Task Patch_with_an_unknown_fetch_mode_is_400(string fetchMode)
    {
        var editor = await Editor();
        var id = Id(await editor.CreateSourceAsync());

        await ExpectValidationErrorAsync(await editor.PatchRawAsync(id, $$"""{"fetchMode":{{fetchMode}}}"""), "fetchMode");

        Assert.Equal("update", (await editor.GetSourceAsync(id)).GetProperty("fetchMode").GetString());
    }

    [Fact]
    public async Task Patch_round_trips_the_filter_exactly_and_null_clears_it()
    {
        const string filter = """
            {"all":[{"path":"$.type","op":"equals","value":"invoice.paid"},
                    {"any":[{"path":"$.data.object.currency","op":"in","value":["eur","usd"]},
                            {"path":"$.data.object.customer_email","op":"ends_with","value":"@example.com"},
                            {"path":"$.data.object.metadata.crm_account","op":"matches","value":"^ACME-\\d{4}$"},
                            {"path":"$.livemode","op":"exists"}]}]}
            """;
        var editor = await Editor();
        var id = Id(await editor.CreateSourceAsync());
        var sent = JsonNode.Parse(filter);

        var patched = await ExpectAsync(await editor.PatchRawAsync(id, $$"""{"filter":{{filter}}}"""), HttpStatusCode.OK);
        AssertSameJson(sent, patched.GetProperty("filter"));
        AssertSameJson(sent, (await editor.GetSourceAsync(id)).GetProperty("filter"));

        // A PATCH without "filter" keeps it.
        await editor.PatchSourceAsync(id, new { name = "Renamed" });
        AssertSameJson(sent, (await editor.GetSourceAsync(id)).GetProperty("filter"));

        var cleared = await ExpectAsync(await editor.PatchRawAsync(id, """{"filter":null}"""), HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("filter").ValueKind);
        Assert.Equal(JsonValueKind.Null, (await editor.GetSourceAsync(id)).GetProperty("filter").ValueKind);
    }

    [Theory]
    [InlineData("""{"all":[{"path":"$.type","op":"equalz","value":"x"}]}""", "filter")]
    [InlineData("""{"all":[{"path":"$.type","op":"equals","value":"x"}],"any":[]}""", "filter")]
    [InlineData("""[{"path":"$.type","op":"equals","value":"x"}]""", "filter")]
    [InlineData("""{"all":[{"path":"$.type","op":"matches","value":"(unclosed"}]}""", "filter.all[0].value")]
    [InlineData("""{"all":[{"path":"$.type","op":"equals","value":"x"},{"any":[{"path":"$.n","op":"matches","value":"[a-"}]}]}""", "filter.all[1].any[0].value")]
    [InlineData("""{"all":[{"path":"$.items[","op":"exists"}]}""", "filter.all[0].path")]
    [InlineData("""{"all":[]}""", "filter.all")]
    public async Task Patch_with_an_invalid_filter_is_400_and_saves_nothing(string filter, string field)
    {
        var editor = await Editor();
        var id = Id(await editor.CreateSourceAsync());

        await ExpectValidationErrorAsync(await editor.PatchRawAsync(id, $$"""{"name":"Changed","filter":{{filter}}}"""), field);

        var source = await editor.GetSourceAsync(id);
        Assert.Equal(JsonValueKind.Null, source.GetProperty("filter").ValueKind);
        Assert.Equal("Stripe invoices", source.GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("idPath", "$.items[")]
    [InlineData("entityPath", "$.data[?(@.x")]
    [InlineData("titlePath", "$.a['b")]
    [InlineData("dedupKey", "$.a[")]
    public async Task Patch_with_an_invalid_jsonpath_is_400_for_that_field(string field, string path)
    {
        var editor = await Editor();
        var id = Id(await editor.CreateSourceAsync());
        var patch = new Dictionary<string, string> { ["idPath"] = "id", [field] = path };

        var message = await ExpectValidationErrorAsync(await editor.PatchAsync(id, patch), field);
        Assert.Contains("JSONPath", message, StringComparison.Ordinal);

        var source = await editor.GetSourceAsync(id);
        Assert.Equal(JsonValueKind.Null, source.GetProperty("idPath").ValueKind);
        Assert.Equal("$", source.GetProperty("entityPath").GetString());
        Assert.Equal("awaiting_first_payload", source.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Turning_the_live_stream_on_needs_an_id_path()
    {
        var editor = await Editor();
        var id = Id(await editor.CreateSourceAsync());

        await ExpectValidationErrorAsync(await editor.PatchAsync(id, new { liveStream = true }), "idPath");
        await ExpectValidationErrorAsync(await editor.Http.PostAsync($"{V1}/sources/{id}/resume", null), "idPath");
        Assert.False((await editor.GetSourceAsync(id)).GetProperty("liveStream").GetBoolean());

        var live = await editor.PatchSourceAsync(id, new { idPath = "id", liveStream = true });
        Assert.True(live.GetProperty("liveStream").GetBoolean());
        Assert.Equal("configured", live.GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_verification_secret_is_write_only()
    {
        const string secret = "s3cret";
        var editor = await Editor();
        var source = await editor.CreateSourceAsync();
        var id = Id(source);

        var response = await editor.PatchAsync(id, new { verification = new { kind = "github", secret } });
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        var verification = JsonDocument.Parse(text).RootElement.GetProperty("verification");
        Assert.Equal("github", verification.GetProperty("kind").GetString());
        Assert.True(verification.GetProperty("secretSet").GetBoolean());

        foreach (var url in new[] { $"{V1}/sources/{id}", $"{V1}/sources" })
        {
            var read = await editor.Http.GetStringAsync(url);
            Assert.DoesNotContain(secret, read, StringComparison.Ordinal);
            Assert.Contains("\"secretSet\":true", read, StringComparison.Ordinal);
        }

        // The secret is really saved: the receiver now checks GitHub's signature with it.
        var unsigned = await editor.SendAsync(ReceiverUrl(source), Ping);
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        var signed = await editor.SendAsync(ReceiverUrl(source), Ping,
            headers: new Dictionary<string, string> { ["X-Hub-Signature-256"] = GitHubSignature(secret, Ping) });
        Assert.Equal(HttpStatusCode.Accepted, signed.StatusCode);

        // Changing the kind's settings without a secret keeps the saved one; null turns verification off.
        var kept = await editor.PatchSourceAsync(id, new { verification = new { kind = "github", toleranceSeconds = 60 } });
        Assert.True(kept.GetProperty("verification").GetProperty("secretSet").GetBoolean());
        Assert.Equal(60, kept.GetProperty("verification").GetProperty("toleranceSeconds").GetInt32());
        var off = await ExpectAsync(await editor.PatchRawAsync(id, """{"verification":null}"""), HttpStatusCode.OK);
        Assert.Equal("none", off.GetProperty("verification").GetProperty("kind").GetString());
        Assert.False(off.GetProperty("verification").GetProperty("secretSet").GetBoolean());
        Assert.Equal(HttpStatusCode.Accepted, (await editor.SendAsync(ReceiverUrl(source), Ping)).StatusCode);
    }

    [Theory]
    [InlineData("""{"verification":{"kind":"github"}}""", "verification.secret")]
    [InlineData("""{"verification":{"kind":"shared_secret_header","secret":"s3cret"}}""", "verification.headerName")]
    [InlineData("""{"verification":{"kind":"hmac","secret":"s3cret"}}""", "verification.kind")]
    [InlineData("""{"verification":{"kind":"9","secret":"s3cret"}}""", "verification.kind")]
    [InlineData("""{"verification":{"kind":"stripe","secret":"s3cret","toleranceSeconds":0}}""", "verification.toleranceSeconds")]
    [InlineData("""{"verification":"github"}""", "verification")]
    [InlineData("""{"verification":{"kind":"github","secret":"s3cret","toleranceSeconds":"300"}}""", "verification.toleranceSeconds")]
    public async Task Invalid_verification_settings_are_400(string patch, string field)
    {
        var editor = await Editor();
        var source = await editor.CreateSourceAsync();

        await ExpectValidationErrorAsync(await editor.PatchRawAsync(Id(source), patch), field);

        Assert.Equal("none", (await editor.GetSourceAsync(Id(source))).GetProperty("verification").GetProperty("kind").GetString());
        Assert.Equal(HttpStatusCode.Accepted, (await editor.SendAsync(ReceiverUrl(source), Ping)).StatusCode);
    }

    [Fact]
    public async Task Testers_cannot_change_a_source()
    {
        var editor = await Editor();
        var source = await editor.PatchSourceAsync(Id(await editor.CreateSourceAsync()), new { idPath = "id", liveStream = true });
        var id = Id(source);
        var tester = await Tester();

        var calls = new Func<Task<HttpResponseMessage>>[]
        {
            () => tester.PatchAsync(id, new { name = "Hijacked", idPath = "other" }),
            () => tester.Http.PostAsync($"{V1}/sources/{id}/pause", null),
            () => tester.Http.PostAsync($"{V1}/sources/{id}/resume", null),
            () => tester.Http.PostAsync($"{V1}/sources/{id}/rotate-token", null),
            () => tester.Http.PostAsJsonAsync($"{V1}/sources/{id}/reprocess", new { }),
            () => tester.Http.DeleteAsync($"{V1}/sources/{id}"),
        };
        foreach (var call in calls)
            await ExpectProblemAsync(await call(), HttpStatusCode.Forbidden);

        var after = await tester.GetSourceAsync(id);
        Assert.Equal("Stripe invoices", after.GetProperty("name").GetString());
        Assert.Equal("id", after.GetProperty("idPath").GetString());
        Assert.True(after.GetProperty("liveStream").GetBoolean());
        Assert.Equal(source.GetProperty("token").GetString(), after.GetProperty("token").GetString());
        Assert.Equal(HttpStatusCode.Accepted, (await editor.SendAsync(ReceiverUrl(after), Ping)).StatusCode);
    }

    [Fact]
    public async Task Pause_and_resume_toggle_the_live_stream()
    {
        var editor = await Editor();
        var source = await editor.CreateLiveSourceAsync("$", "id");
        var id = Id(source);
        Assert.True(source.GetProperty("liveStream").GetBoolean());

        var paused = await ExpectAsync(await editor.Http.PostAsync($"{V1}/sources/{id}/pause", null), HttpStatusCode.OK);
        Assert.False(paused.GetProperty("liveStream").GetBoolean());
        Assert.False((await editor.GetSourceAsync(id)).GetProperty("liveStream").GetBoolean());
        var whilePaused = await editor.SendAndWaitAsync(source, """{"id":"a"}""");
        Assert.Equal("stored", Outcome(whilePaused));
        Assert.Contains("live stream is off", whilePaused.GetProperty("payload").GetProperty("reason").GetString(), StringComparison.Ordinal);

        var resumed = await ExpectAsync(await editor.Http.PostAsync($"{V1}/sources/{id}/resume", null), HttpStatusCode.OK);
        Assert.True(resumed.GetProperty("liveStream").GetBoolean());
        Assert.True((await editor.GetSourceAsync(id)).GetProperty("liveStream").GetBoolean());
        Assert.Equal("processed", Outcome(await editor.SendAndWaitAsync(source, """{"id":"b"}""")));

        var figures = await editor.GetSourceAsync(id);
        Assert.Equal(2, figures.GetProperty("payloadsToday").GetInt32());
        Assert.Equal(1, figures.GetProperty("items").GetInt32());
        Assert.Equal(0, figures.GetProperty("pendingPayloads").GetInt32());
        Assert.EndsWith("Z", figures.GetProperty("lastPayloadAt").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rotating_the_token_retires_the_old_receiver_url()
    {
        var editor = await Editor();
        var source = await editor.CreateSourceAsync();
        var oldUrl = ReceiverUrl(source);
        Assert.Equal(HttpStatusCode.Accepted, (await editor.SendAsync(oldUrl, Ping)).StatusCode);

        var rotated = await ExpectAsync(await editor.Http.PostAsync($"{V1}/sources/{Id(source)}/rotate-token", null), HttpStatusCode.OK);
        var newToken = rotated.GetProperty("token").GetString()!;
        Assert.NotEqual(source.GetProperty("token").GetString(), newToken);
        Assert.True(newToken.Length >= 22);
        Assert.EndsWith($"/hooks/{newToken}", ReceiverUrl(rotated), StringComparison.Ordinal);
        Assert.Equal(newToken, (await editor.GetSourceAsync(Id(source))).GetProperty("token").GetString());

        await ExpectProblemAsync(await editor.SendAsync(oldUrl, Ping), HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.Accepted, (await editor.SendAsync(ReceiverUrl(rotated), Ping)).StatusCode);
    }

    [Fact]
    public async Task Deleting_a_source_stops_its_receiver_url()
    {
        var editor = await Editor();
        var source = await editor.CreateSourceAsync();
        var kept = await editor.CreateSourceAsync("Kept");
        var id = Id(source);
        Assert.Equal(HttpStatusCode.Accepted, (await editor.SendAsync(ReceiverUrl(source), Ping)).StatusCode);

        var deleted = await editor.Http.DeleteAsync($"{V1}/sources/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        await ExpectProblemAsync(await editor.Http.GetAsync($"{V1}/sources/{id}"), HttpStatusCode.NotFound);
        await ExpectProblemAsync(await editor.SendAsync(ReceiverUrl(source), Ping), HttpStatusCode.NotFound);
        var list = await ExpectAsync(await editor.Http.GetAsync($"{V1}/sources"), HttpStatusCode.OK);
        Assert.Equal(1, list.GetProperty("total").GetInt32());
        Assert.Equal(Id(kept), Id(list.GetProperty("items")[0]));
        Assert.Equal(HttpStatusCode.Accepted, (await editor.SendAsync(ReceiverUrl(kept), Ping)).StatusCode);
    }

    private static void AssertSameJson(JsonNode? expected, JsonElement actual) =>
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(actual.GetRawText())),
            $"Expected {expected?.ToJsonString()}, got {actual.GetRawText()}");
}
