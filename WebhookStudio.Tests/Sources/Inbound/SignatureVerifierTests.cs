using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using WebhookStudio.Features.Sources.Inbound;

namespace WebhookStudio.Tests.Sources.Inbound;

public class SignatureVerifierTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_763_712_000);
    private static readonly byte[] Body = File.ReadAllBytes(SamplePayloads.Path("stripe-invoice-paid.json"));
    private static readonly byte[] OtherBody = Encoding.UTF8.GetBytes("""{"id":"evt_forged"}""");

    // --- None and common checks ---

    [Fact]
    public void None_accepts_anything()
    {
        var result = SignatureVerifier.Verify(new VerificationSettings(), Headers(), Body, Now);

        Assert.True(result.IsValid);
        Assert.Null(result.FailureReason);
    }

    [Theory]
    [InlineData(VerificationKind.SharedSecretHeader)]
    [InlineData(VerificationKind.StandardWebhooks)]
    [InlineData(VerificationKind.GitHub)]
    [InlineData(VerificationKind.Stripe)]
    public void An_empty_secret_never_verifies(VerificationKind kind)
    {
        var settings = new VerificationSettings { Kind = kind, Secret = "", HeaderName = "X-Webhook-Token" };
        var headers = Headers(
            ("X-Webhook-Token", ""),
            ("X-Hub-Signature-256", "sha256=" + Hex(HmacSha256([], Body))));

        var result = SignatureVerifier.Verify(settings, headers, Body, Now);

        Assert.Equal("No secret is configured for verification", result.FailureReason);
    }

    [Fact]
    public void Settings_do_not_print_the_secret()
    {
        var settings = new VerificationSettings { Kind = VerificationKind.GitHub, Secret = "top-secret-value" };

        Assert.DoesNotContain("top-secret-value", settings.ToString(), StringComparison.Ordinal);
    }

    // --- Shared secret header ---

    private static readonly VerificationSettings SharedSecret = new()
    {
        Kind = VerificationKind.SharedSecretHeader,
        Secret = "s3cr3t-token",
        HeaderName = "X-Webhook-Token",
    };

    [Fact]
    public void SharedSecret_good()
    {
        Assert.True(SignatureVerifier.Verify(SharedSecret, Headers(("x-webhook-token", "s3cr3t-token")), Body, Now).IsValid);
    }

    [Theory]
    [InlineData("s3cr3t-tokeN")]
    [InlineData("s3cr3t-token ")]
    [InlineData("s3cr3t")]
    public void SharedSecret_bad(string sent)
    {
        var result = SignatureVerifier.Verify(SharedSecret, Headers(("X-Webhook-Token", sent)), Body, Now);

        Assert.Equal("Header X-Webhook-Token does not match the secret", result.FailureReason);
    }

    [Fact]
    public void SharedSecret_missing_header()
    {
        var result = SignatureVerifier.Verify(SharedSecret, Headers(("Authorization", "s3cr3t-token")), Body, Now);

        Assert.Equal("Missing header X-Webhook-Token", result.FailureReason);
    }

    [Fact]
    public void SharedSecret_has_no_timestamp_so_it_never_expires()
    {
        var result = SignatureVerifier.Verify(SharedSecret, Headers(("X-Webhook-Token", "s3cr3t-token")), Body, Now.AddYears(3));

        Assert.True(result.IsValid);
    }

    [Fact]
    public void SharedSecret_without_a_header_name_fails()
    {
        var result = SignatureVerifier.Verify(SharedSecret with { HeaderName = null }, Headers(), Body, Now);

        Assert.Equal("No header name is configured for the shared secret", result.FailureReason);
    }

    // --- Standard Webhooks ---

    private static readonly byte[] StandardKey = Encoding.UTF8.GetBytes("a 32-byte key for standard hooks");

    private static readonly VerificationSettings Standard = new()
    {
        Kind = VerificationKind.StandardWebhooks,
        Secret = "whsec_" + Convert.ToBase64String(StandardKey),
    };

    private static string StandardSignature(byte[] key, string id, long timestamp, byte[] body) =>
        "v1," + Convert.ToBase64String(HmacSha256(key, Concat($"{id}.{timestamp}.", body)));

    private static Dictionary<string, string> StandardHeaders(string signature, long timestamp, string id = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W") =>
        Headers(("webhook-id", id), ("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture)), ("webhook-signature", signature));

    [Fact]
    public void StandardWebhooks_good()
    {
        var ts = Now.ToUnixTimeSeconds();
        var headers = StandardHeaders(StandardSignature(StandardKey, "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", ts, Body), ts);

        Assert.True(SignatureVerifier.Verify(Standard, headers, Body, Now).IsValid);
    }

    [Fact]
    public void StandardWebhooks_any_one_of_several_signatures_is_enough()
    {
        var ts = Now.ToUnixTimeSeconds();
        var good = StandardSignature(StandardKey, "msg_1", ts, Body);
        var oldKey = StandardSignature(Encoding.UTF8.GetBytes("the previous key"), "msg_1", ts, Body);
        var headers = StandardHeaders($"v1a,c29tZXRoaW5n {oldKey} v1,not*base64 {good}", ts, "msg_1");

        Assert.True(SignatureVerifier.Verify(Standard, headers, Body, Now).IsValid);
    }

    [Fact]
    public void StandardWebhooks_secret_without_prefix_is_used_as_utf8()
    {
        var settings = Standard with { Secret = "plain text secret" };
        var ts = Now.ToUnixTimeSeconds();
        var headers = StandardHeaders(StandardSignature(Encoding.UTF8.GetBytes("plain text secret"), "msg_1", ts, Body), ts, "msg_1");

        Assert.True(SignatureVerifier.Verify(settings, headers, Body, Now).IsValid);
    }

    [Fact]
    public void StandardWebhooks_bad_body()
    {
        var ts = Now.ToUnixTimeSeconds();
        var headers = StandardHeaders(StandardSignature(StandardKey, "msg_1", ts, Body), ts, "msg_1");

        var result = SignatureVerifier.Verify(Standard, headers, OtherBody, Now);

        Assert.Equal("The signature in webhook-signature does not match the id, timestamp and body signed with this secret", result.FailureReason);
    }

    [Fact]
    public void StandardWebhooks_bad_id_is_part_of_the_signed_content()
    {
        var ts = Now.ToUnixTimeSeconds();
        var headers = StandardHeaders(StandardSignature(StandardKey, "msg_1", ts, Body), ts, "msg_2");

        Assert.Equal("The signature in webhook-signature does not match the id, timestamp and body signed with this secret", SignatureVerifier.Verify(Standard, headers, Body, Now).FailureReason);
    }

    [Fact]
    public void StandardWebhooks_bad_key()
    {
        var ts = Now.ToUnixTimeSeconds();
        var headers = StandardHeaders(StandardSignature(Encoding.UTF8.GetBytes("another key"), "msg_1", ts, Body), ts, "msg_1");

        Assert.Equal("The signature in webhook-signature does not match the id, timestamp and body signed with this secret", SignatureVerifier.Verify(Standard, headers, Body, Now).FailureReason);
    }

    [Fact]
    public void StandardWebhooks_expired()
    {
        var ts = Now.AddMinutes(-7).ToUnixTimeSeconds();
        var headers = StandardHeaders(StandardSignature(StandardKey, "msg_1", ts, Body), ts, "msg_1");

        var result = SignatureVerifier.Verify(Standard, headers, Body, Now);

        Assert.Equal("Timestamp in webhook-timestamp is 7 minutes old; allowed ±5 minutes", result.FailureReason);
    }

    [Fact]
    public void StandardWebhooks_from_the_future()
    {
        var ts = Now.AddMinutes(10).AddSeconds(30).ToUnixTimeSeconds();
        var headers = StandardHeaders(StandardSignature(StandardKey, "msg_1", ts, Body), ts, "msg_1");

        var result = SignatureVerifier.Verify(Standard, headers, Body, Now);

        Assert.Equal("Timestamp in webhook-timestamp is 10 minutes 30 seconds in the future; allowed ±5 minutes", result.FailureReason);
    }

    [Theory]
    [InlineData(-300, true)]
    [InlineData(300, true)]
    [InlineData(-301, false)]
    public void StandardWebhooks_tolerance_is_inclusive(int offsetSeconds, bool valid)
    {
        var ts = Now.AddSeconds(offsetSeconds).ToUnixTimeSeconds();
        var headers = StandardHeaders(StandardSignature(StandardKey, "msg_1", ts, Body), ts, "msg_1");

        Assert.Equal(valid, SignatureVerifier.Verify(Standard, headers, Body, Now).IsValid);
    }

    [Fact]
    public void StandardWebhooks_custom_tolerance()
    {
        var ts = Now.AddMinutes(-7).ToUnixTimeSeconds();
        var headers = StandardHeaders(StandardSignature(StandardKey, "msg_1", ts, Body), ts, "msg_1");

        Assert.True(SignatureVerifier.Verify(Standard with { Tolerance = TimeSpan.FromMinutes(10) }, headers, Body, Now).IsValid);
        Assert.Equal(
            "Timestamp in webhook-timestamp is 7 minutes old; allowed ±30 seconds",
            SignatureVerifier.Verify(Standard with { Tolerance = TimeSpan.FromSeconds(30) }, headers, Body, Now).FailureReason);
    }

    [Theory]
    [InlineData("webhook-id")]
    [InlineData("webhook-timestamp")]
    [InlineData("webhook-signature")]
    public void StandardWebhooks_missing_header(string missing)
    {
        var ts = Now.ToUnixTimeSeconds();
        var headers = StandardHeaders(StandardSignature(StandardKey, "msg_1", ts, Body), ts, "msg_1");
        headers.Remove(missing);

        Assert.Equal($"Missing header {missing}", SignatureVerifier.Verify(Standard, headers, Body, Now).FailureReason);
    }

    [Fact]
    public void StandardWebhooks_timestamp_must_be_unix_seconds()
    {
        var headers = Headers(("webhook-id", "msg_1"), ("webhook-timestamp", "2026-11-21T12:00:00Z"), ("webhook-signature", "v1,abc="));

        Assert.Equal(
            "Header webhook-timestamp is not a unix timestamp",
            SignatureVerifier.Verify(Standard, headers, Body, Now).FailureReason);
    }

    [Fact]
    public void StandardWebhooks_without_a_v1_signature()
    {
        var ts = Now.ToUnixTimeSeconds();
        var headers = StandardHeaders("v1a,c29tZXRoaW5n", ts);

        Assert.Equal("Header webhook-signature has no v1 signature", SignatureVerifier.Verify(Standard, headers, Body, Now).FailureReason);
    }

    [Fact]
    public void StandardWebhooks_secret_with_broken_base64()
    {
        var ts = Now.ToUnixTimeSeconds();
        var headers = StandardHeaders(StandardSignature(StandardKey, "msg_1", ts, Body), ts, "msg_1");

        var result = SignatureVerifier.Verify(Standard with { Secret = "whsec_***" }, headers, Body, Now);

        Assert.Equal("The secret is not valid: the part after whsec_ must be base64", result.FailureReason);
    }

    [Fact]
    public void Header_lookup_ignores_case_even_in_a_case_sensitive_dictionary()
    {
        var ts = Now.ToUnixTimeSeconds();
        var headers = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Webhook-Id"] = "msg_1",
            ["WEBHOOK-TIMESTAMP"] = ts.ToString(CultureInfo.InvariantCulture),
            ["Webhook-Signature"] = StandardSignature(StandardKey, "msg_1", ts, Body),
        };

        Assert.True(SignatureVerifier.Verify(Standard, headers, Body, Now).IsValid);
    }

    // --- GitHub ---

    private static readonly VerificationSettings GitHub = new() { Kind = VerificationKind.GitHub, Secret = "It's a Secret to Everybody" };

    private static string GitHubSignature(string secret, byte[] body) => "sha256=" + Hex(HmacSha256(Encoding.UTF8.GetBytes(secret), body));

    [Fact]
    public void GitHub_good()
    {
        var headers = Headers(("X-Hub-Signature-256", GitHubSignature("It's a Secret to Everybody", Body)));

        Assert.True(SignatureVerifier.Verify(GitHub, headers, Body, Now).IsValid);
    }

    [Fact]
    public void GitHub_matches_the_documented_example()
    {
        // The example from GitHub's "Validating webhook deliveries" page.
        var headers = Headers(("X-Hub-Signature-256", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"));

        Assert.True(SignatureVerifier.Verify(GitHub, headers, Encoding.UTF8.GetBytes("Hello, World!"), Now).IsValid);
    }

    [Fact]
    public void GitHub_upper_case_hex_is_accepted()
    {
        var headers = Headers(("X-Hub-Signature-256", "sha256=" + Hex(HmacSha256(Encoding.UTF8.GetBytes(GitHub.Secret), Body)).ToUpperInvariant()));

        Assert.True(SignatureVerifier.Verify(GitHub, headers, Body, Now).IsValid);
    }

    [Theory]
    [InlineData("wrong secret", false)]
    [InlineData("It's a Secret to Everybody", true)]
    public void GitHub_bad(string signingSecret, bool forgedBody)
    {
        var headers = Headers(("X-Hub-Signature-256", GitHubSignature(signingSecret, forgedBody ? OtherBody : Body)));

        Assert.Equal("The signature in X-Hub-Signature-256 does not match the body signed with this secret", SignatureVerifier.Verify(GitHub, headers, Body, Now).FailureReason);
    }

    [Fact]
    public void GitHub_garbage_hex_is_named_as_such()
    {
        var headers = Headers(("X-Hub-Signature-256", "sha256=zz"));

        Assert.Equal("Header X-Hub-Signature-256 is not hexadecimal", SignatureVerifier.Verify(GitHub, headers, Body, Now).FailureReason);
    }

    [Fact]
    public void GitHub_has_no_timestamp_so_an_old_delivery_still_verifies()
    {
        var headers = Headers(("X-Hub-Signature-256", GitHubSignature(GitHub.Secret, Body)));

        Assert.True(SignatureVerifier.Verify(GitHub, headers, Body, Now.AddDays(30)).IsValid);
    }

    [Fact]
    public void GitHub_missing_header_and_sha1_only()
    {
        var sha1Only = Headers(("X-Hub-Signature", "sha1=" + new string('0', 40)));

        Assert.Equal("Missing header X-Hub-Signature-256", SignatureVerifier.Verify(GitHub, sha1Only, Body, Now).FailureReason);
    }

    [Fact]
    public void GitHub_header_needs_the_sha256_prefix()
    {
        var headers = Headers(("X-Hub-Signature-256", Hex(HmacSha256(Encoding.UTF8.GetBytes(GitHub.Secret), Body))));

        Assert.Equal(
            "Header X-Hub-Signature-256 must start with sha256=",
            SignatureVerifier.Verify(GitHub, headers, Body, Now).FailureReason);
    }

    // --- Stripe ---

    private static readonly VerificationSettings Stripe = new() { Kind = VerificationKind.Stripe, Secret = "whsec_test_stripe_secret" };

    private static string StripeV1(string secret, long timestamp, byte[] body) =>
        Hex(HmacSha256(Encoding.UTF8.GetBytes(secret), Concat($"{timestamp}.", body)));

    [Fact]
    public void Stripe_good()
    {
        var ts = Now.ToUnixTimeSeconds();
        var headers = Headers(("Stripe-Signature", $"t={ts},v1={StripeV1(Stripe.Secret, ts, Body)},v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39"));

        Assert.True(SignatureVerifier.Verify(Stripe, headers, Body, Now).IsValid);
    }

    [Fact]
    public void Stripe_any_one_of_several_v1_signatures_is_enough()
    {
        var ts = Now.ToUnixTimeSeconds();
        var headers = Headers(("Stripe-Signature", $"t={ts}, v1={StripeV1("whsec_old", ts, Body)}, v1={StripeV1(Stripe.Secret, ts, Body)}"));

        Assert.True(SignatureVerifier.Verify(Stripe, headers, Body, Now).IsValid);
    }

    [Fact]
    public void Stripe_bad()
    {
        var ts = Now.ToUnixTimeSeconds();
        var forged = Headers(("Stripe-Signature", $"t={ts},v1={StripeV1(Stripe.Secret, ts, OtherBody)}"));
        var otherTimestamp = Headers(("Stripe-Signature", $"t={ts - 1},v1={StripeV1(Stripe.Secret, ts, Body)}"));

        Assert.Equal("The signature in Stripe-Signature does not match the timestamp and the body signed with this secret", SignatureVerifier.Verify(Stripe, forged, Body, Now).FailureReason);
        Assert.Equal("The signature in Stripe-Signature does not match the timestamp and the body signed with this secret", SignatureVerifier.Verify(Stripe, otherTimestamp, Body, Now).FailureReason);
    }

    [Fact]
    public void Stripe_expired()
    {
        var ts = Now.AddMinutes(-7).ToUnixTimeSeconds();
        var headers = Headers(("Stripe-Signature", $"t={ts},v1={StripeV1(Stripe.Secret, ts, Body)}"));

        var result = SignatureVerifier.Verify(Stripe, headers, Body, Now);

        Assert.Equal("Timestamp in Stripe-Signature is 7 minutes old; allowed ±5 minutes", result.FailureReason);
        Assert.True(SignatureVerifier.Verify(Stripe with { Tolerance = TimeSpan.FromMinutes(8) }, headers, Body, Now).IsValid);
    }

    [Theory]
    [InlineData("v1=abcd", "Header Stripe-Signature has no timestamp (t=)")]
    [InlineData("t=1763712000,v0=abcd", "Header Stripe-Signature has no v1 signature")]
    [InlineData("t=soon,v1=abcd", "Header Stripe-Signature is not a unix timestamp")]
    public void Stripe_broken_header(string header, string reason)
    {
        Assert.Equal(reason, SignatureVerifier.Verify(Stripe, Headers(("Stripe-Signature", header)), Body, Now).FailureReason);
    }

    [Fact]
    public void Stripe_missing_header()
    {
        Assert.Equal("Missing header Stripe-Signature", SignatureVerifier.Verify(Stripe, Headers(), Body, Now).FailureReason);
    }

    // --- helpers: the expected values are computed here, independently of the verifier ---

    private static byte[] HmacSha256(byte[] key, byte[] content)
    {
        using var hmac = new HMACSHA256(key);
        return hmac.ComputeHash(content);
    }

    private static byte[] Concat(string prefix, byte[] body) => [.. Encoding.UTF8.GetBytes(prefix), .. body];

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    private static Dictionary<string, string> Headers(params (string Name, string Value)[] headers) =>
        headers.ToDictionary(h => h.Name, h => h.Value, StringComparer.OrdinalIgnoreCase);
}
