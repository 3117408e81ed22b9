using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using WebhookStudio.Features.Sources.Inbound;
using WebhookStudio.Tests.Infrastructure;
using WebhookStudio.Tests.Sources.Inbound;

namespace WebhookStudio.Tests.Sources.Receiving;

/// <summary>
/// Presets end to end through <c>POST /hooks/{token}</c>, signed as <see cref="PresetCases"/> says each app signs:
/// 202 when right, 401 and a rejected payload with the reason when not; URL signatures use the public receiver URL.
/// </summary>
public sealed class PresetVerificationTests(SharedStudio shared) : ApiTestBase(shared)
{
    private async Task<(ApiTestClient.CreatedSource Source, string ReceiverUrl)> SourceFor(PresetCase preset)
    {
        var settings = preset.Configure(new VerificationSettings { Kind = preset.Kind, Secret = preset.Secret });
        var verification = new Dictionary<string, object?>
        {
            ["kind"] = WebhookStudio.Api.ApiEnum.Name(preset.Kind),
            ["secret"] = preset.Secret,
            ["headerName"] = settings.HeaderName,
            ["verifyToken"] = settings.VerifyToken,
        };
        if (settings.Custom is { } custom)
        {
            verification["algorithm"] = custom.Algorithm.ToString().ToLowerInvariant();
            verification["encoding"] = custom.Encoding.ToString().ToLowerInvariant();
            verification["prefix"] = custom.Prefix;
            verification["signedContent"] = custom.SignedContent;
            verification["timestampHeader"] = custom.TimestampHeader;
        }
        var source = await Api.SetUpSourceAsync(preset.Kind.ToString(), patch: new { verification });
        var shown = await Api.GetSourceAsync(source.Id);
        return (source, shown.GetProperty("receiverUrl").GetString()!);
    }

    private async Task<HttpResponseMessage> Send(PresetCase preset, ApiTestClient.CreatedSource source, string signedUrl, string? body = null,
        DateTimeOffset? at = null, IReadOnlyDictionary<string, string>? extraHeaders = null)
    {
        var headers = preset.Sign(new Signing(preset.Body, signedUrl, at ?? DateTimeOffset.UtcNow));
        foreach (var (name, value) in extraHeaders ?? new Dictionary<string, string>())
            headers[name] = value;
        return await Api.PostHookAsync(source.Token, body ?? preset.Body, preset.ContentType, headers);
    }

    /// <summary>What the app's documentation asks for an accepted event: Discord 204 and Xero 200, both without a body; else 202.</summary>
    private static HttpStatusCode AcceptedStatus(VerificationKind kind) => kind switch
    {
        VerificationKind.Discord => HttpStatusCode.NoContent,
        VerificationKind.Xero => HttpStatusCode.OK,
        _ => HttpStatusCode.Accepted,
    };

    private async Task<string> RejectionReason(HttpResponseMessage response, int sourceId)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var payloads = await Api.SettledPayloadsAsync(sourceId);
        var reason = (string)payloads.First(p => (string)p!["outcome"]! == "rejected")!["reason"]!;
        Assert.Equal("Verification failed: " + problem.GetProperty("detail").GetString(), reason);
        return reason;
    }

    [Theory]
    [InlineData(VerificationKind.Slack)]
    [InlineData(VerificationKind.Square)]
    [InlineData(VerificationKind.HubSpot)]
    [InlineData(VerificationKind.Twilio)]
    [InlineData(VerificationKind.Discord)]
    [InlineData(VerificationKind.SendGrid)]
    [InlineData(VerificationKind.Paddle)]
    [InlineData(VerificationKind.Clerk)]
    [InlineData(VerificationKind.Mattermost)]
    [InlineData(VerificationKind.CustomHmac)]
    public async Task A_request_signed_the_apps_way_is_accepted_and_a_changed_one_is_refused(VerificationKind kind)
    {
        var preset = PresetCases.For(kind);
        var (source, receiverUrl) = await SourceFor(preset);

        var good = await Send(preset, source, receiverUrl);
        Assert.Equal(AcceptedStatus(preset.Kind), good.StatusCode);

        var wrong = preset.SignsBody
            ? await Send(preset, source, receiverUrl, body: preset.ChangedBody)
            : await Api.PostHookAsync(source.Token, preset.Body.Replace(preset.Secret, preset.OtherSecret, StringComparison.Ordinal), preset.ContentType,
                preset.Sign(new Signing(preset.Body, receiverUrl, DateTimeOffset.UtcNow)).ToDictionary(h => h.Key, h => h.Value.Replace(preset.Secret, preset.OtherSecret, StringComparison.Ordinal)));
        Assert.Contains("does not match", await RejectionReason(wrong, source.Id), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(VerificationKind.Slack)]
    [InlineData(VerificationKind.HubSpot)]
    [InlineData(VerificationKind.Webflow)]
    public async Task A_stale_timestamp_is_refused_with_its_age(VerificationKind kind)
    {
        var preset = PresetCases.For(kind);
        var (source, receiverUrl) = await SourceFor(preset);

        var stale = await Send(preset, source, receiverUrl, at: DateTimeOffset.UtcNow.AddMinutes(-10));

        Assert.Contains("old; allowed ±5 minutes", await RejectionReason(stale, source.Id), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_header_is_named_in_the_rejected_payload()
    {
        var preset = PresetCases.For(VerificationKind.Shopify);
        var (source, _) = await SourceFor(preset);

        var unsigned = await Api.PostHookAsync(source.Token, preset.Body);

        Assert.Equal("Verification failed: Missing header X-Shopify-Hmac-Sha256", await RejectionReason(unsigned, source.Id));
    }

    [Fact]
    public async Task A_url_signature_covers_the_address_the_proxy_forwarded()
    {
        var preset = PresetCases.For(VerificationKind.Square);
        var (source, _) = await SourceFor(preset);
        var publicUrl = $"https://hooks.example.com/hooks/{source.Token}";
        var forwarded = new Dictionary<string, string> { ["X-Forwarded-Proto"] = "https", ["X-Forwarded-Host"] = "hooks.example.com" };

        Assert.Equal(HttpStatusCode.Accepted, (await Send(preset, source, publicUrl, extraHeaders: forwarded)).StatusCode);
        var direct = await Send(preset, source, publicUrl);
        Assert.Contains($"this receiver URL and the body", await RejectionReason(direct, source.Id), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_gitlab_token_is_shown_masked_in_the_payload()
    {
        var preset = PresetCases.For(VerificationKind.GitLab);
        var (source, receiverUrl) = await SourceFor(preset);

        var posted = await Send(preset, source, receiverUrl);
        var payloadId = (await posted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("payloadId").GetInt64();
        var shown = await Api.GetJsonAsync($"/api/v1/sources/{source.Id}/payloads/{payloadId}");

        Assert.Equal("••••oken", (string)shown["headers"]!["X-Gitlab-Token"]!);
    }

    [Fact]
    public async Task The_secret_and_verify_token_are_shown_masked_with_their_last_four_characters()
    {
        var source = await Api.SetUpSourceAsync("Meta", patch: new { verification = new { kind = "meta", secret = "0123456789abcdef-app-secret", verifyToken = "my-long-verify-token-9876" } });

        var verification = (await Api.GetSourceAsync(source.Id)).GetProperty("verification");

        Assert.Equal("meta", verification.GetProperty("kind").GetString());
        Assert.Equal("••••cret", verification.GetProperty("secret").GetString());
        Assert.Equal("••••9876", verification.GetProperty("verifyToken").GetString());
        Assert.DoesNotContain("0123456789abcdef", verification.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_verify_token_and_the_custom_signature_secret_are_encrypted_at_rest()
    {
        await Api.SetUpSourceAsync("Meta", patch: new { verification = new { kind = "meta", secret = "meta-app-secret-value-77", verifyToken = "meta-verify-token-value-88" } });
        await Api.SetUpSourceAsync("Acme", patch: new { verification = new { kind = "custom_hmac", secret = "custom-secret-value-99", headerName = "X-Sig" } });
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        foreach (var file in Directory.EnumerateFiles(Factory.DataDirectory, "studio.db*"))
        {
            var bytes = File.ReadAllBytes(file);
            foreach (var secret in new[] { "meta-app-secret-value-77", "meta-verify-token-value-88", "custom-secret-value-99" })
                Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) < 0, $"{file} holds {secret} in clear");
        }
    }

    [Theory]
    [InlineData("""{"kind":"slack"}""", "verification.secret", "Paste Slack's signing secret")]
    [InlineData("""{"kind":"discord","secret":"xyz"}""", "verification.secret", "64 hexadecimal characters")]
    [InlineData("""{"kind":"meta","secret":"app-secret"}""", "verification.verifyToken", "verify token")]
    [InlineData("""{"kind":"custom_hmac","secret":"s","signedContent":"{timestamp}.{body}"}""", "verification.headerName", "header that carries the signature")]
    [InlineData("""{"kind":"custom_hmac","secret":"s","headerName":"X-Sig","signedContent":"{timestamp}.{body}"}""", "verification.timestampHeader", "{timestamp}")]
    [InlineData("""{"kind":"custom_hmac","secret":"s","headerName":"X-Sig","signedContent":"{bdy}"}""", "verification.signedContent", "{bdy} is not a placeholder")]
    [InlineData("""{"kind":"custom_hmac","secret":"s","headerName":"X-Sig","algorithm":"md5"}""", "verification.algorithm", "sha1, sha256 or sha512")]
    [InlineData("""{"kind":"okta_magic","secret":"s"}""", "verification.kind", "slack")]
    public async Task A_bad_verification_is_a_problem_naming_the_field(string verification, string field, string message)
    {
        var source = await Api.SetUpSourceAsync("Bad");

        var response = await Api.PatchRawAsync(source.Id, $$"""{"verification":{{verification}}}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains(message, errors.GetProperty(field)[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_check_endpoint_says_which_part_of_a_custom_signature_differs()
    {
        var source = await Api.SetUpSourceAsync("Acme", patch: new
        {
            verification = new { kind = "custom_hmac", secret = "acme-secret", headerName = "X-Acme-Signature", timestampHeader = "X-Acme-Time", signedContent = "{timestamp}:{body}" },
        });
        var time = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes("acme-secret"), Encoding.UTF8.GetBytes($"{time}.{PresetCase.JsonBody}")));
        var sent = await Api.PostHookAsync(source.Token, PresetCase.JsonBody, headers: new Dictionary<string, string> { ["X-Acme-Signature"] = signature, ["X-Acme-Time"] = time });
        await RejectionReason(sent, source.Id);
        var payloadId = (long)(await Api.SettledPayloadsAsync(source.Id)).Single()!["id"]!;

        var saved = await Api.Http.PostAsJsonAsync($"/api/v1/sources/{source.Id}/verification/check", new { payloadId });
        var verdict = await saved.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(verdict.GetProperty("valid").GetBoolean());
        Assert.Equal("The signed content differs: it matches with {timestamp}.{body} instead of {timestamp}:{body}.", verdict.GetProperty("difference").GetString());

        var draft = await Api.Http.PostAsJsonAsync($"/api/v1/sources/{source.Id}/verification/check", new
        {
            payloadId,
            verification = new { kind = "custom_hmac", headerName = "X-Acme-Signature", timestampHeader = "X-Acme-Time", signedContent = "{timestamp}.{body}" },
        });
        Assert.True((await draft.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("valid").GetBoolean());

        var missing = await Api.Http.PostAsJsonAsync($"/api/v1/sources/{source.Id}/verification/check", new { payloadId = payloadId + 1000 });
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var invalid = await Api.Http.PostAsJsonAsync($"/api/v1/sources/{source.Id}/verification/check", new { payload = 1 });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.True((await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("payloadId", out _));
    }
}
