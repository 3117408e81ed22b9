using System.Text;
using WebhookStudio.Features.Sources.Inbound;

namespace WebhookStudio.Tests.Sources.Inbound;

/// <summary>
/// Every preset against its app's documented recipe (<see cref="PresetCases"/>): a request signed the app's way is
/// accepted; a changed body, another secret, another URL and a stale timestamp are refused with a plain reason.
/// </summary>
public class PresetSignatureTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_763_712_000);
    private const string Url = "https://studio.example.com/hooks/abc123?source=test";

    public static TheoryData<VerificationKind> AllKinds() => Kinds(_ => true);
    public static TheoryData<VerificationKind> BodySigningKinds() => Kinds(c => c.SignsBody);
    public static TheoryData<VerificationKind> UrlSigningKinds() => Kinds(c => c.SignsUrl);
    public static TheoryData<VerificationKind> TimestampKinds() => Kinds(c => c.ChecksTimestamp);

    private static TheoryData<VerificationKind> Kinds(Func<PresetCase, bool> which) => new(PresetCases.All.Where(which).Select(c => c.Kind));

    private static VerificationResult Check(PresetCase preset, string? secret = null, string? body = null, DateTimeOffset? signedAt = null, string url = Url)
    {
        var headers = preset.Sign(new Signing(preset.Body, Url, signedAt ?? Now));
        var settings = preset.Configure(new VerificationSettings { Kind = preset.Kind, Secret = secret ?? preset.Secret });
        var request = new SignedRequest("POST", url, headers, Encoding.UTF8.GetBytes(body ?? preset.Body), preset.ContentType);
        return SignatureVerifier.Verify(settings, request, Now);
    }

    [Fact]
    public void Every_verification_kind_has_a_documented_recipe_here()
    {
        var tested = PresetCases.All.Select(c => c.Kind).ToHashSet();
        var kinds = Enum.GetValues<VerificationKind>().Where(k => k != VerificationKind.None).ToHashSet();

        Assert.Equal(kinds.Order(), tested.Order());
        Assert.Equal(kinds.Order(), VerificationPresets.All.Select(p => p.Kind).Order());
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void The_presets_flags_match_the_documented_recipe(VerificationKind kind)
    {
        var preset = VerificationPresets.For(kind)!;
        var recipe = PresetCases.For(kind);

        if (kind != VerificationKind.CustomHmac)
        {
            Assert.Equal(recipe.SignsUrl, preset.SignsUrl);
            Assert.Equal(recipe.ChecksTimestamp, preset.ChecksTimestamp);
        }
        Assert.False(string.IsNullOrWhiteSpace(preset.SecretHelp));
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Accepts_a_request_signed_the_apps_way(VerificationKind kind)
    {
        var result = Check(PresetCases.For(kind));

        Assert.True(result.IsValid, result.FailureReason);
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Refuses_another_secret(VerificationKind kind)
    {
        var preset = PresetCases.For(kind);

        var result = Check(preset, secret: preset.OtherSecret);

        Assert.False(result.IsValid);
        Assert.Contains("does not match", result.FailureReason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BodySigningKinds))]
    public void Refuses_a_changed_body(VerificationKind kind)
    {
        var preset = PresetCases.For(kind);

        var result = Check(preset, body: preset.ChangedBody);

        Assert.False(result.IsValid);
        Assert.Contains("does not match", result.FailureReason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(UrlSigningKinds))]
    public void Refuses_a_signature_made_for_another_url(VerificationKind kind)
    {
        var result = Check(PresetCases.For(kind), url: Url.Replace("abc123", "xyz789", StringComparison.Ordinal));

        Assert.False(result.IsValid);
        Assert.Contains("does not match", result.FailureReason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TimestampKinds))]
    public void Refuses_a_stale_timestamp(VerificationKind kind)
    {
        var result = Check(PresetCases.For(kind), signedAt: Now.AddMinutes(-10));

        Assert.False(result.IsValid);
        Assert.Contains("is 10 minutes old; allowed ±5 minutes", result.FailureReason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Says_what_is_missing_from_a_request_without_the_apps_headers(VerificationKind kind)
    {
        var preset = PresetCases.For(kind);
        var settings = preset.Configure(new VerificationSettings { Kind = kind, Secret = preset.Secret });
        var request = new SignedRequest("POST", Url, new Dictionary<string, string>(), Encoding.UTF8.GetBytes(PresetCase.JsonBody), "application/json");

        Assert.Equal(preset.MissingReason, SignatureVerifier.Verify(settings, request, Now).FailureReason);
    }

    [Theory]
    [InlineData("""{"token":"mm-token-1234","text":"deploy € now"}""", null)]
    [InlineData("""{"token":"mm-other"}""", "The token field of the body does not match the token")]
    [InlineData("""{"token":1234}""", "The body has no token field")]
    [InlineData("""["mm-token-1234"]""", "The body has no token field")]
    [InlineData("not json", "The body has no token field")]
    public void Mattermost_reads_the_token_field_of_a_json_body(string body, string? reason)
    {
        // developers.mattermost.com/integrate/webhooks/outgoing: with content type application/json the token is the body's "token".
        var settings = new VerificationSettings { Kind = VerificationKind.Mattermost, Secret = "mm-token-1234" };
        var request = new SignedRequest("POST", Url, new Dictionary<string, string>(), Encoding.UTF8.GetBytes(body), "application/json");

        Assert.Equal(reason, SignatureVerifier.Verify(settings, request, Now).FailureReason);
    }

    // --- The apps' own published examples ---

    [Fact]
    public void Slack_documented_example()
    {
        // api.slack.com/authentication/verifying-requests-from-slack, "Validating a request".
        const string body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
        var settings = new VerificationSettings { Kind = VerificationKind.Slack, Secret = "8f742231b10e8888abcd99yyyzzz85a5" };
        var headers = new Dictionary<string, string>
        {
            ["X-Slack-Request-Timestamp"] = "1531420618",
            ["X-Slack-Signature"] = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
        };
        var request = new SignedRequest("POST", Url, headers, Encoding.UTF8.GetBytes(body), "application/x-www-form-urlencoded");

        Assert.True(SignatureVerifier.Verify(settings, request, DateTimeOffset.FromUnixTimeSeconds(1531420618 + 60)).IsValid);
        Assert.Contains("old", SignatureVerifier.Verify(settings, request, DateTimeOffset.FromUnixTimeSeconds(1531420618 + 600)).FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Twilio_documented_example()
    {
        // twilio.com/docs/usage/webhooks/webhooks-security: Auth Token 12345, this URL and these fields sign to 0/KCTR6DLpKmkAf8muzZqo1nDgQ=.
        const string body = "CallSid=CA1234567890ABCDE&Caller=%2B12349013030&Digits=1234&From=%2B12349013030&To=%2B18005551212";
        var settings = new VerificationSettings { Kind = VerificationKind.Twilio, Secret = "12345" };
        var headers = new Dictionary<string, string> { ["X-Twilio-Signature"] = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=" };
        var request = new SignedRequest("POST", "https://mycompany.com/myapp.php?foo=1&bar=2", headers, Encoding.UTF8.GetBytes(body), "application/x-www-form-urlencoded");

        Assert.True(SignatureVerifier.Verify(settings, request, Now).IsValid);
    }

    [Fact]
    public void Standard_webhooks_specification_example()
    {
        // github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md, "Signature scheme".
        var settings = new VerificationSettings { Kind = VerificationKind.StandardWebhooks, Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" };
        var request = new SignedRequest("POST", Url, new Dictionary<string, string>
        {
            ["webhook-id"] = "msg_p5jXN8AQM9LWM0D4loKWxJek",
            ["webhook-timestamp"] = "1614265330",
            ["webhook-signature"] = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        }, Encoding.UTF8.GetBytes("""{"test": 2432232314}"""), "application/json");

        Assert.True(SignatureVerifier.Verify(settings, request, DateTimeOffset.FromUnixTimeSeconds(1614265330)).IsValid);
    }

    [Fact]
    public void SendGrid_published_test_vector()
    {
        // SendGrid's Event Webhook helpers (sendgrid-csharp, -nodejs, -python) publish this key, payload, timestamp and signature.
        var settings = new VerificationSettings
        {
            Kind = VerificationKind.SendGrid,
            Secret = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEDr2LjtURuePQzplybdC+u4CwrqDqBaWjcMMsTbhdbcwHBcepxo7yAQGhHPTnlvFYPAZFceEu/1FwCM/QmGUhA==",
        };
        var headers = new Dictionary<string, string>
        {
            ["X-Twilio-Email-Event-Webhook-Timestamp"] = "1588788367",
            ["X-Twilio-Email-Event-Webhook-Signature"] = "MEUCIQCtIHJeH93Y+qpYeWrySphQgpNGNr/U+UyUlBkU6n7RAwIgJTz2C+8a8xonZGi6BpSzoQsbVRamr2nlxFDWYNH2j/0=",
        };
        var body = Encoding.UTF8.GetBytes("""{"category":"example_payload","event":"test_event","message_id":"message_id"}""");

        Assert.True(SignatureVerifier.Verify(settings, new SignedRequest("POST", Url, headers, body, "application/json"), Now).IsValid);
        var failingKey = settings with { Secret = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEqTxd43gyp8IOEto2LdIfjRQrIbsd4SXZkLW6jDutdhXSJCWHw8REntlo7aNDthvj+y7GjUuFDb/R1NGe1OPzpA==" };
        Assert.False(SignatureVerifier.Verify(failingKey, new SignedRequest("POST", Url, headers, body, "application/json"), Now).IsValid);
    }

    [Fact]
    public void Svix_headers_are_read_by_the_standard_webhooks_kind_too()
    {
        var clerk = PresetCases.For(VerificationKind.Clerk);
        var settings = new VerificationSettings { Kind = VerificationKind.StandardWebhooks, Secret = clerk.Secret };
        var request = new SignedRequest("POST", Url, clerk.Sign(new Signing(clerk.Body, Url, Now)), Encoding.UTF8.GetBytes(clerk.Body), "application/json");

        Assert.True(SignatureVerifier.Verify(settings, request, Now).IsValid);
    }

    [Fact]
    public void A_signature_of_the_wrong_length_names_the_algorithm_as_the_difference()
    {
        var body = Encoding.UTF8.GetBytes(PresetCase.JsonBody);
        var sha1 = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA1.HashData(Encoding.UTF8.GetBytes("s3cret"), body));
        var settings = new VerificationSettings { Kind = VerificationKind.Linear, Secret = "s3cret" };
        var request = new SignedRequest("POST", Url, new Dictionary<string, string> { ["Linear-Signature"] = sha1 }, body, "application/json");

        Assert.Equal("Header Linear-Signature holds a 20-byte signature where 32 bytes were expected: the app signs with another algorithm",
            SignatureVerifier.Verify(settings, request, Now).FailureReason);
    }

    [Theory]
    [InlineData(VerificationKind.Discord, "not-hex")]
    [InlineData(VerificationKind.SendGrid, "bm90IGEga2V5")]
    [InlineData(VerificationKind.Airtable, "not base64!")]
    [InlineData(VerificationKind.StandardWebhooks, "whsec_***")]
    public void A_secret_of_the_wrong_form_is_refused_when_saved(VerificationKind kind, string secret)
    {
        Assert.NotNull(VerificationPresets.For(kind)!.Scheme!.SecretProblem(secret));
        Assert.Null(VerificationPresets.For(kind)!.Scheme!.SecretProblem(PresetCases.For(kind).Secret));
    }
}
