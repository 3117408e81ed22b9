using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using WebhookStudio.Tests.Infrastructure;

namespace WebhookStudio.Tests.Sources.Receiving;

/// <summary>Inbound verification end to end: a failed check answers 401, is kept as "rejected" with the reason, and is never processed.</summary>
public sealed class VerificationTests(SharedStudio shared) : ApiTestBase(shared)
{
    private const string Body = """{"id":"evt_1","name":"Signed"}""";

    private Task<ApiTestClient.CreatedSource> SourceWith(object verification) =>
        Api.SetUpSourceAsync("Signed", patch: new { idPath = "id", titlePath = "name", liveStream = true, verification });

    private static string Hex(byte[] key, string content) => Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(content)));

    private static string Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    private async Task AssertRejectedAndNotProcessed(int sourceId, HttpResponseMessage response, string reasonPart)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var payloads = await Api.SettledPayloadsAsync(sourceId);
        var rejected = payloads.Single(p => (string)p!["outcome"]! == "rejected")!;
        Assert.Contains(reasonPart, (string)rejected["reason"]!, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(await Api.ItemsAsync(sourceId));
    }

    [Fact]
    public async Task GitHub_signatures_good_and_bad()
    {
        var source = await SourceWith(new { kind = "github", secret = "gh-secret" });
        var good = await Api.PostHookAsync(source.Token, Body, headers: new Dictionary<string, string> { ["X-Hub-Signature-256"] = "sha256=" + Hex(Encoding.UTF8.GetBytes("gh-secret"), Body) });
        Assert.Equal(HttpStatusCode.Accepted, good.StatusCode);
        await Api.SettledPayloadsAsync(source.Id);
        Assert.Single(await Api.ItemsAsync(source.Id));

        var bad = await Api.PostHookAsync(source.Token, Body.Replace("Signed", "Forged", StringComparison.Ordinal),
            headers: new Dictionary<string, string> { ["X-Hub-Signature-256"] = "sha256=" + Hex(Encoding.UTF8.GetBytes("gh-secret"), Body) });
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        var missing = await Api.PostHookAsync(source.Token, Body);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        var payloads = await Api.SettledPayloadsAsync(source.Id);
        Assert.Equal(2, payloads.Count(p => (string)p!["outcome"]! == "rejected"));
        Assert.Equal("Signed", (string)(await Api.ItemsAsync(source.Id)).Single()!["title"]!);
    }

    [Fact]
    public async Task Stripe_signatures_good_bad_and_expired()
    {
        var source = await SourceWith(new { kind = "stripe", secret = "whsec_stripe_test" });
        var key = Encoding.UTF8.GetBytes("whsec_stripe_test");
        var t = Now;
        var good = await Api.PostHookAsync(source.Token, Body, headers: new Dictionary<string, string> { ["Stripe-Signature"] = $"t={t},v1={Hex(key, $"{t}.{Body}")}" });
        Assert.Equal(HttpStatusCode.Accepted, good.StatusCode);

        var old = (DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 600).ToString(CultureInfo.InvariantCulture);
        var expired = await Api.PostHookAsync(source.Token, Body, headers: new Dictionary<string, string> { ["Stripe-Signature"] = $"t={old},v1={Hex(key, $"{old}.{Body}")}" });
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        var bad = await Api.PostHookAsync(source.Token, Body, headers: new Dictionary<string, string> { ["Stripe-Signature"] = $"t={t},v1={Hex(Encoding.UTF8.GetBytes("other"), $"{t}.{Body}")}" });
        await AssertRejectedAndNotProcessedAfterOneGood(source.Id, bad);
    }

    private async Task AssertRejectedAndNotProcessedAfterOneGood(int sourceId, HttpResponseMessage bad)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        var payloads = await Api.SettledPayloadsAsync(sourceId);
        Assert.Equal(2, payloads.Count(p => (string)p!["outcome"]! == "rejected"));
        Assert.Single(await Api.ItemsAsync(sourceId));
    }

    [Fact]
    public async Task Standard_webhooks_signatures_good_bad_and_expired()
    {
        var secretBytes = RandomNumberGenerator.GetBytes(24);
        var source = await SourceWith(new { kind = "standard_webhooks", secret = "whsec_" + Convert.ToBase64String(secretBytes) });
        string Sign(string id, string ts) => "v1," + Convert.ToBase64String(HMACSHA256.HashData(secretBytes, Encoding.UTF8.GetBytes($"{id}.{ts}.{Body}")));

        var t = Now;
        var good = await Api.PostHookAsync(source.Token, Body, headers: new Dictionary<string, string>
        {
            ["webhook-id"] = "msg_1", ["webhook-timestamp"] = t, ["webhook-signature"] = "v1,bm90LWl0 " + Sign("msg_1", t),
        });
        Assert.Equal(HttpStatusCode.Accepted, good.StatusCode);

        var old = (DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 400).ToString(CultureInfo.InvariantCulture);
        var expired = await Api.PostHookAsync(source.Token, Body, headers: new Dictionary<string, string>
        {
            ["webhook-id"] = "msg_2", ["webhook-timestamp"] = old, ["webhook-signature"] = Sign("msg_2", old),
        });
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        var bad = await Api.PostHookAsync(source.Token, Body, headers: new Dictionary<string, string>
        {
            ["webhook-id"] = "msg_3", ["webhook-timestamp"] = t, ["webhook-signature"] = Sign("msg_other", t),
        });
        await AssertRejectedAndNotProcessedAfterOneGood(source.Id, bad);
    }

    [Fact]
    public async Task A_shared_secret_header_must_match()
    {
        var source = await SourceWith(new { kind = "shared_secret_header", secret = "let-me-in", headerName = "X-Webhook-Token" });
        var wrong = await Api.PostHookAsync(source.Token, Body, headers: new Dictionary<string, string> { ["X-Webhook-Token"] = "guess" });
        await AssertRejectedAndNotProcessed(source.Id, wrong, "does not match");
        var right = await Api.PostHookAsync(source.Token, Body, headers: new Dictionary<string, string> { ["X-Custom-Secret"] = "x", ["X-Webhook-Token"] = "let-me-in" });
        Assert.Equal(HttpStatusCode.Accepted, right.StatusCode);

        var custom = await Api.SetUpSourceAsync("Custom header", patch: new { verification = new { kind = "shared_secret_header", secret = "abc", headerName = "X-Custom-Secret" } });
        var posted = await Api.PostHookAsync(custom.Token, Body, headers: new Dictionary<string, string> { ["X-Custom-Secret"] = "abc" });
        var payloadId = (await posted.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("payloadId").GetInt64();
        var shown = await Api.GetJsonAsync($"/api/v1/sources/{custom.Id}/payloads/{payloadId}");
        Assert.Equal("••••", (string)shown["headers"]!["X-Custom-Secret"]!);
    }

    [Fact]
    public async Task The_verification_secret_is_encrypted_at_rest()
    {
        await SourceWith(new { kind = "github", secret = "plain-text-secret-value-42" });
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var needle = Encoding.UTF8.GetBytes("plain-text-secret-value-42");
        foreach (var file in Directory.EnumerateFiles(Factory.DataDirectory, "studio.db*"))
            Assert.True(File.ReadAllBytes(file).AsSpan().IndexOf(needle) < 0, $"{file} holds the secret in clear");
    }

    [Fact]
    public async Task The_verification_header_is_stored_masked_and_the_data_directory_is_the_owners_alone()
    {
        var source = await SourceWith(new { kind = "shared_secret_header", secret = "source-token-abcdefgh-7391", headerName = "X-Source-Token" });
        var posted = await Api.PostHookAsync(source.Token, Body, headers: new Dictionary<string, string> { ["X-Source-Token"] = "source-token-abcdefgh-7391" });
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        var payloadId = (await posted.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("payloadId").GetInt64();
        var shown = await Api.GetJsonAsync($"/api/v1/sources/{source.Id}/payloads/{payloadId}");
        Assert.Equal("••••7391", (string)shown["headers"]!["X-Source-Token"]!);

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var needle = Encoding.UTF8.GetBytes("source-token-abcdefgh");
        foreach (var file in Directory.EnumerateFiles(Factory.DataDirectory, "studio.db*"))
        {
            Assert.True(File.ReadAllBytes(file).AsSpan().IndexOf(needle) < 0, $"{file} holds the source's token in clear");
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Factory.DataDirectory));
    }
}
