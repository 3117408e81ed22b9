using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using WebhookStudio.Features.Bins;
using WebhookStudio.Tests.Infrastructure;

namespace WebhookStudio.Tests.Bins;

public sealed class BinApiTests(SharedStudio shared) : ApiTestBase(shared, () => new StudioFactory().With("Bins:MaxBodyBytes", "1024").With("Bins:RetentionDays", "7"))
{
    private const string Bins = ApiTestClient.V1 + "/bins";

    private async Task<JsonElement> CreateBinAsync(object body) =>
        await ApiTestClient.ExpectAsync(await Api.Http.PostAsJsonAsync(Bins, body), HttpStatusCode.Created);

    private static string PathOf(JsonElement bin) => new Uri(bin.GetProperty("url").GetString()!).AbsolutePath;

    /// <summary>What a sender does: any method to the bin URL, without an API key.</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string? body = null, string? contentType = null,
                                                      IReadOnlyDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);
        }
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            request.Headers.TryAddWithoutValidation(name, value);
        using var sender = Factory.CreateClient();
        return await sender.SendAsync(request);
    }

    private async Task<JsonElement> RequestsAsync(int binId) =>
        await ApiTestClient.ExpectAsync(await Api.Http.GetAsync($"{Bins}/{binId}/requests"), HttpStatusCode.OK);

    private async Task<JsonElement> RequestAsync(int binId, long requestId) =>
        await ApiTestClient.ExpectAsync(await Api.Http.GetAsync($"{Bins}/{binId}/requests/{requestId}"), HttpStatusCode.OK);

    [Fact]
    public async Task A_bin_keeps_any_method_and_content_type_with_path_query_headers_and_body()
    {
        var bin = await CreateBinAsync(new { name = "Catch all" });
        var id = ApiTestClient.Id(bin);
        var url = PathOf(bin);
        Assert.Matches("^/bins/[A-Za-z0-9_-]{32}$", url);

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, url + "/orders/42?status=paid&tag=a&tag=b", """{"order":42}""", "application/json",
            new Dictionary<string, string> { ["X-Custom"] = "hello", ["Authorization"] = "Bearer a-very-long-secret-token-1234" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Put, url, "plain words", "text/plain")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, url + "?q=1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Delete, url + "/x")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Head, url)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Options, url)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Patch, url, "<a>1</a>", "application/xml")).StatusCode);

        var list = await RequestsAsync(id);
        Assert.Equal(7, list.GetProperty("total").GetInt32());
        var methods = list.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("method").GetString()).ToList();
        Assert.Equal(["PATCH", "OPTIONS", "HEAD", "DELETE", "GET", "PUT", "POST"], methods);

        var post = list.GetProperty("items").EnumerateArray().Last();
        var detail = await RequestAsync(id, post.GetProperty("id").GetInt64());
        Assert.Equal("/orders/42", detail.GetProperty("path").GetString());
        Assert.Equal("?status=paid&tag=a&tag=b", detail.GetProperty("queryString").GetString());
        Assert.Equal("application/json", detail.GetProperty("contentType").GetString());
        Assert.Equal("""{"order":42}""", detail.GetProperty("body").GetString());
        Assert.Equal("utf8", detail.GetProperty("bodyEncoding").GetString());
        Assert.Equal(12, detail.GetProperty("size").GetInt64());
        Assert.False(detail.GetProperty("truncated").GetBoolean());
        Assert.Equal("hello", detail.GetProperty("headers").GetProperty("X-Custom").GetString());
        // Credentials a sender puts in headers are masked like on payload pages.
        Assert.StartsWith("••••", detail.GetProperty("headers").GetProperty("Authorization").GetString(), StringComparison.Ordinal);

        var put = await RequestAsync(id, list.GetProperty("items")[5].GetProperty("id").GetInt64());
        Assert.Equal("plain words", put.GetProperty("body").GetString());
        Assert.Equal("/", put.GetProperty("path").GetString());
        var get = await RequestAsync(id, list.GetProperty("items")[4].GetProperty("id").GetInt64());
        Assert.Equal("?q=1", get.GetProperty("queryString").GetString());
        Assert.Equal("", get.GetProperty("body").GetString());

        var summary = await ApiTestClient.ExpectAsync(await Api.Http.GetAsync($"{Bins}/{id}"), HttpStatusCode.OK);
        Assert.Equal(7, summary.GetProperty("requests").GetInt32());
        Assert.NotEqual(JsonValueKind.Null, summary.GetProperty("lastRequestAt").ValueKind);
    }

    [Fact]
    public async Task A_bin_answers_its_configured_status_headers_and_body_and_the_answer_can_be_changed()
    {
        var bin = await CreateBinAsync(new
        {
            name = "Teapot",
            response = new { status = 418, contentType = "text/plain; charset=utf-8", headers = new Dictionary<string, string> { ["X-Bin"] = "yes" }, body = "short and stout" },
        });
        var answer = await SendAsync(HttpMethod.Post, PathOf(bin), "{}", "application/json");
        Assert.Equal((HttpStatusCode)418, answer.StatusCode);
        Assert.Equal("yes", answer.Headers.GetValues("X-Bin").Single());
        Assert.Equal("text/plain", answer.Content.Headers.ContentType?.MediaType);
        Assert.Equal("short and stout", await answer.Content.ReadAsStringAsync());

        // Even a 404 or 500 with an empty body is the bin's own answer, not the studio's error page.
        var patched = await ApiTestClient.ExpectAsync(await Api.Http.PatchAsJsonAsync($"{Bins}/{ApiTestClient.Id(bin)}",
            new { response = new { status = 500, contentType = "", body = "" } }), HttpStatusCode.OK);
        Assert.Equal(500, patched.GetProperty("response").GetProperty("status").GetInt32());
        var failing = await SendAsync(HttpMethod.Get, PathOf(bin));
        Assert.Equal(HttpStatusCode.InternalServerError, failing.StatusCode);
        Assert.Equal("", await failing.Content.ReadAsStringAsync());

        var defaults = await CreateBinAsync(new { name = "Defaults" });
        var ok = await SendAsync(HttpMethod.Post, PathOf(defaults), "x", "text/plain");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("""{"ok":true}""", await ok.Content.ReadAsStringAsync());
        Assert.Equal("application/json", ok.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_body_over_the_cap_is_kept_in_part_marked_truncated_and_still_answered()
    {
        var bin = await CreateBinAsync(new { name = "Big" });
        var big = new string('a', 5000);

        var answer = await SendAsync(HttpMethod.Post, PathOf(bin), big, "text/plain");

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var list = await RequestsAsync(ApiTestClient.Id(bin));
        var detail = await RequestAsync(ApiTestClient.Id(bin), list.GetProperty("items")[0].GetProperty("id").GetInt64());
        Assert.True(detail.GetProperty("truncated").GetBoolean());
        Assert.Equal(5000, detail.GetProperty("size").GetInt64());
        Assert.Equal(new string('a', 1024), detail.GetProperty("body").GetString());
    }

    [Fact]
    public async Task Unknown_and_deleted_bin_urls_answer_404()
    {
        var unknown = await SendAsync(HttpMethod.Post, "/bins/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "{}", "application/json");
        var problem = await ApiTestClient.ExpectProblemAsync(unknown, HttpStatusCode.NotFound);
        Assert.Contains("No request bin", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var bin = await CreateBinAsync(new { name = "Short lived" });
        await SendAsync(HttpMethod.Post, PathOf(bin), "{}", "application/json");
        Assert.Equal(HttpStatusCode.NoContent, (await Api.Http.DeleteAsync($"{Bins}/{ApiTestClient.Id(bin)}")).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, PathOf(bin))).StatusCode);
        await ApiTestClient.ExpectProblemAsync(await Api.Http.GetAsync($"{Bins}/{ApiTestClient.Id(bin)}"), HttpStatusCode.NotFound);
        await ApiTestClient.ExpectProblemAsync(await Api.Http.GetAsync($"{Bins}/{ApiTestClient.Id(bin)}/requests"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_bin_page_keeps_its_address_next_to_bin_urls()
    {
        var bin = await CreateBinAsync(new { name = "Page or bin" });
        using var browser = Factory.CreateBrowserClient();

        // /bins/{id} is the bin's page (a redirect to sign in here), not a bin URL answering 404.
        var page = await browser.GetAsync($"/bins/{ApiTestClient.Id(bin)}");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal(0, (await RequestsAsync(ApiTestClient.Id(bin))).GetProperty("total").GetInt32());
        // Any other method there is not a page; it is an unknown bin.
        await ApiTestClient.ExpectProblemAsync(await browser.DeleteAsync($"/bins/{ApiTestClient.Id(bin)}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Bad_settings_are_refused_per_field()
    {
        await ApiTestClient.ExpectValidationErrorAsync(await Api.Http.PostAsJsonAsync(Bins, new { name = " " }), "name");
        await ApiTestClient.ExpectValidationErrorAsync(await Api.Http.PostAsJsonAsync(Bins, new { name = "x", response = new { status = 99 } }), "status");
        var headers = await ApiTestClient.ExpectValidationErrorAsync(await Api.Http.PostAsJsonAsync(Bins,
            new { name = "x", response = new { headers = new Dictionary<string, string> { ["Content-Length"] = "5" } } }), "headers");
        Assert.Contains("Content-Length", headers, StringComparison.Ordinal);
        await ApiTestClient.ExpectValidationErrorAsync(await Api.Http.PostAsJsonAsync(Bins,
            new { name = "x", response = new { status = 204, body = "not allowed" } }), "body");
        await ApiTestClient.ExpectValidationErrorAsync(await Api.Http.PostAsJsonAsync(Bins,
            new { name = "x", response = new { contentType = "not a type" } }), "contentType");
    }

    [Theory]
    [InlineData("Set-Cookie", "WebhookStudio.Auth=attacker; Path=/")]
    [InlineData("Clear-Site-Data", "\"*\"")]
    [InlineData("Content-Security-Policy", "default-src *")]
    [InlineData("Strict-Transport-Security", "max-age=0")]
    [InlineData("Location", "https://evil.example/")]
    [InlineData("Refresh", "0; url=https://evil.example/")]
    public async Task A_bin_cannot_answer_headers_that_act_on_the_studio_itself(string name, string value)
    {
        var error = await ApiTestClient.ExpectValidationErrorAsync(await Api.Http.PostAsJsonAsync(Bins,
            new { name = "Planted", response = new { headers = new Dictionary<string, string> { [name] = value } } }), "headers");
        Assert.Contains($"cannot answer {name}", error, StringComparison.Ordinal);

        var bin = await CreateBinAsync(new { name = "Plain" });
        await ApiTestClient.ExpectValidationErrorAsync(await Api.Http.PatchAsJsonAsync($"{Bins}/{ApiTestClient.Id(bin)}",
            new { response = new { headers = new Dictionary<string, string> { [name.ToLowerInvariant()] = value } } }), "headers");
    }

    [Fact]
    public async Task Every_bin_answer_is_sandboxed_and_never_sniffed()
    {
        var bin = await CreateBinAsync(new { name = "Page", response = new { contentType = "text/html", body = "<script>alert(1)</script>" } });
        var answer = await SendAsync(HttpMethod.Get, PathOf(bin));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.StartsWith("sandbox", string.Join(",", answer.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.Equal("nosniff", string.Join(",", answer.Headers.GetValues("X-Content-Type-Options")));
        Assert.False(answer.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Connector_secrets_sent_to_a_bin_are_stored_and_shown_masked_even_to_a_tester()
    {
        const string headerKey = "shop-key-0123456789-abcd";
        const string queryKey = "query-secret-9876543210-wxyz";
        await Api.CreateConnectorAsync(new { name = "Shop key", kind = "api_key_header", parameterName = "X-Shop-Key", secret = headerKey });
        await Api.CreateConnectorAsync(new { name = "Query key", kind = "api_key_query", parameterName = "code", secret = queryKey });
        var bin = await CreateBinAsync(new { name = "Credentials" });
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, PathOf(bin) + $"?code={queryKey}&page=2",
            $"client_id=shop&client_secret={headerKey}", "application/x-www-form-urlencoded",
            new Dictionary<string, string>
            {
                ["X-Shop-Key"] = headerKey,
                ["Authorization"] = "Basic dXNlcjpwYXNzd29yZC0xMjM0NTY3OA==",
                ["X-Forwarded-Key"] = "copy of " + headerKey,
            })).StatusCode);

        var tester = await ApiTestClient.ForRoleAsync(Factory, "Tester");
        var id = ApiTestClient.Id(bin);
        var listed = await ApiTestClient.ExpectAsync(await tester.Http.GetAsync($"{Bins}/{id}/requests"), HttpStatusCode.OK);
        var summary = listed.GetProperty("items")[0];
        var shown = await ApiTestClient.ExpectAsync(await tester.Http.GetAsync($"{Bins}/{id}/requests/{summary.GetProperty("id").GetInt64()}"), HttpStatusCode.OK);
        var text = shown.GetRawText() + listed.GetRawText();
        Assert.DoesNotContain("shop-key-0123456789", text, StringComparison.Ordinal);
        Assert.DoesNotContain("query-secret-9876543210", text, StringComparison.Ordinal);
        Assert.DoesNotContain("cGFzc3dvcmQ", text, StringComparison.Ordinal);
        var headers = shown.GetProperty("headers");
        Assert.Equal("••••abcd", headers.GetProperty("X-Shop-Key").GetString());
        Assert.StartsWith("••••", headers.GetProperty("Authorization").GetString(), StringComparison.Ordinal);
        Assert.Contains("page=2", shown.GetProperty("queryString").GetString(), StringComparison.Ordinal);
        Assert.Contains("client_id=shop", shown.GetProperty("body").GetString(), StringComparison.Ordinal);

        SqliteConnection.ClearAllPools();
        foreach (var file in Directory.EnumerateFiles(Factory.DataDirectory, "studio.db*"))
        {
            var bytes = File.ReadAllBytes(file).AsSpan();
            Assert.True(bytes.IndexOf("shop-key-0123456789"u8) < 0, $"{file} holds the header key in clear");
            Assert.True(bytes.IndexOf("query-secret-9876543210"u8) < 0, $"{file} holds the query key in clear");
            Assert.True(bytes.IndexOf("dXNlcjpwYXNzd29yZC0xMjM0NTY3OA"u8) < 0, $"{file} holds the basic credentials in clear");
        }
    }

    [Fact]
    public async Task A_testers_hand_typed_connector_secrets_are_masked_in_the_bin_and_in_the_tester_history()
    {
        const string headerKey = "typed-key-0123456789-efgh";
        const string queryKey = "typed-query-9876543210-ijkl";
        await Api.CreateConnectorAsync(new { name = "Shop key", kind = "api_key_header", parameterName = "X-Shop-Key", secret = headerKey });
        await Api.CreateConnectorAsync(new { name = "Query key", kind = "api_key_query", parameterName = "code", secret = queryKey });
        var bin = await CreateBinAsync(new { name = "Typed" });
        var tester = await ApiTestClient.ForRoleAsync(Factory, "Tester");

        var sent = await tester.Http.PostAsJsonAsync($"{ApiTestClient.V1}/tester/send", new
        {
            method = "POST", url = bin.GetProperty("url").GetString() + $"?code={queryKey}", contentType = "application/json",
            headers = new[] { new { name = "X-Shop-Key", value = headerKey } }, body = $$"""{"copy":"{{headerKey}}"}""",
        });
        await ApiTestClient.ExpectAsync(sent, HttpStatusCode.OK);

        var history = await ApiTestClient.ExpectAsync(await tester.Http.GetAsync($"{ApiTestClient.V1}/tester/history"), HttpStatusCode.OK);
        var requests = await RequestsAsync(ApiTestClient.Id(bin));
        var shown = await ApiTestClient.ExpectAsync(await tester.Http.GetAsync(
            $"{Bins}/{ApiTestClient.Id(bin)}/requests/{requests.GetProperty("items")[0].GetProperty("id").GetInt64()}"), HttpStatusCode.OK);
        foreach (var text in new[] { history.GetRawText(), shown.GetRawText(), requests.GetRawText() })
        {
            Assert.DoesNotContain("typed-key-0123456789", text, StringComparison.Ordinal);
            Assert.DoesNotContain("typed-query-9876543210", text, StringComparison.Ordinal);
        }
        Assert.Contains("efgh", history.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requests_are_paged_newest_first_and_can_be_cleared_while_the_bin_stays()
    {
        var bin = await CreateBinAsync(new { name = "Paged" });
        for (var i = 1; i <= 3; i++)
            await SendAsync(HttpMethod.Post, PathOf(bin) + $"?n={i}", "{}", "application/json");

        var page = await ApiTestClient.ExpectAsync(await Api.Http.GetAsync($"{Bins}/{ApiTestClient.Id(bin)}/requests?pageSize=2&page=2"), HttpStatusCode.OK);
        Assert.Equal(3, page.GetProperty("total").GetInt32());
        Assert.Equal("?n=1", page.GetProperty("items").EnumerateArray().Single().GetProperty("queryString").GetString());
        await ApiTestClient.ExpectValidationErrorAsync(await Api.Http.GetAsync($"{Bins}/{ApiTestClient.Id(bin)}/requests?pageSize=0"), "pageSize");

        var cleared = await ApiTestClient.ExpectAsync(await Api.Http.DeleteAsync($"{Bins}/{ApiTestClient.Id(bin)}/requests"), HttpStatusCode.OK);
        Assert.Equal(3, cleared.GetProperty("removed").GetInt32());
        Assert.Equal(0, (await RequestsAsync(ApiTestClient.Id(bin))).GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, PathOf(bin))).StatusCode);
    }

    [Fact]
    public async Task Testers_read_bins_but_only_editors_change_them()
    {
        var bin = await CreateBinAsync(new { name = "Shared" });
        var tester = await ApiTestClient.ForRoleAsync(Factory, "Tester");

        Assert.Equal(HttpStatusCode.OK, (await tester.Http.GetAsync($"{Bins}/{ApiTestClient.Id(bin)}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await tester.Http.PostAsJsonAsync(Bins, new { name = "Mine" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await tester.Http.DeleteAsync($"{Bins}/{ApiTestClient.Id(bin)}/requests")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ApiTestClient.Anonymous(Factory).Http.GetAsync(Bins)).StatusCode);
    }

    [Fact]
    public async Task Retention_purges_old_requests_and_idle_bins_but_keeps_bins_in_use()
    {
        var idle = await CreateBinAsync(new { name = "Idle" });
        var used = await CreateBinAsync(new { name = "Used" });
        await SendAsync(HttpMethod.Post, PathOf(idle), "{}", "application/json");
        await SendAsync(HttpMethod.Post, PathOf(used), "old", "text/plain");
        await ExecuteSqlAsync("UPDATE BinRequests SET ReceivedAt = '2020-01-01 00:00:00'");
        await ExecuteSqlAsync("UPDATE RequestBins SET UpdatedAt = '2020-01-01 00:00:00', CreatedAt = '2020-01-01 00:00:00'");
        await SendAsync(HttpMethod.Post, PathOf(used), "fresh", "text/plain");

        var (bins, requests) = await Factory.Services.GetRequiredService<BinRetention>().PurgeAsync();

        Assert.Equal((1, 2), (bins, requests));
        await ApiTestClient.ExpectProblemAsync(await Api.Http.GetAsync($"{Bins}/{ApiTestClient.Id(idle)}"), HttpStatusCode.NotFound);
        var kept = await RequestsAsync(ApiTestClient.Id(used));
        Assert.Equal(1, kept.GetProperty("total").GetInt32());

        using var connection = Factory.Services.GetRequiredService<JobStorage>().GetConnection();
        Assert.Contains(connection.GetRecurringJobs(), job => job.Id == BinRetention.JobId);
    }

    private async Task ExecuteSqlAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(Factory.DataDirectory, "studio.db")}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
