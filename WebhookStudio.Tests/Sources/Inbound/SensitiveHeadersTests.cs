using WebhookStudio.Features.Sources.Inbound;

namespace WebhookStudio.Tests.Sources.Inbound;

public class SensitiveHeadersTests
{
    [Theory]
    [InlineData("Authorization")]
    [InlineData("authorization")]
    [InlineData("COOKIE")]
    [InlineData("Set-Cookie")]
    [InlineData("Webhook-Signature")]
    [InlineData("X-Hub-Signature")]
    [InlineData("x-hub-signature-256")]
    [InlineData("Stripe-Signature")]
    [InlineData("X-Twilio-Signature")]
    [InlineData("X-Shopify-Hmac-Sha256")]
    [InlineData("X-Slack-Signature")]
    [InlineData("X-Webhook-Token")]
    [InlineData("X-Api-Key")]
    public void Credentials_and_signatures_are_sensitive(string name)
    {
        Assert.True(SensitiveHeaders.IsSensitive(name));
    }

    [Theory]
    [InlineData("Content-Type")]
    [InlineData("User-Agent")]
    [InlineData("webhook-id")]
    [InlineData("webhook-timestamp")]
    [InlineData("X-GitHub-Event")]
    public void Ordinary_headers_are_not(string name)
    {
        Assert.False(SensitiveHeaders.IsSensitive(name));
    }

    [Fact]
    public void A_sources_own_secret_header_is_sensitive()
    {
        var settings = new VerificationSettings { Kind = VerificationKind.SharedSecretHeader, Secret = "x", HeaderName = "X-My-Secret" };

        Assert.True(SensitiveHeaders.IsSensitive("x-my-secret", settings));
        Assert.False(SensitiveHeaders.IsSensitive("X-My-Secret", settings with { Kind = VerificationKind.GitHub }));
        Assert.False(SensitiveHeaders.IsSensitive("X-My-Secret", null));
        Assert.True(SensitiveHeaders.IsSensitive("Authorization", null));
    }

    [Theory]
    [InlineData("", "••••")]
    [InlineData("short", "••••")]
    [InlineData("exactly16chars!!", "••••")]
    [InlineData("Bearer abcdefghij1234", "••••1234")]
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", "••••3e17")]
    public void Mask_shows_at_most_the_last_four_characters_of_long_values(string value, string masked)
    {
        Assert.Equal(masked, SensitiveHeaders.Mask(value));
    }
}
