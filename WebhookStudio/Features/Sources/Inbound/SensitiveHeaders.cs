using System.Collections.Frozen;

namespace WebhookStudio.Features.Sources.Inbound;

/// <summary>Headers whose values the UI shows masked: credentials and signatures.</summary>
public static class SensitiveHeaders
{
    public const string MaskPrefix = "••••";

    public static IReadOnlySet<string> Names { get; } = new[]
    {
        "Authorization",
        "Proxy-Authorization",
        "Cookie",
        "Set-Cookie",
        "webhook-signature",
        "X-Hub-Signature",
        "X-Hub-Signature-256",
        "Stripe-Signature",
        "X-Twilio-Signature",
        "X-Shopify-Hmac-Sha256",
        "X-Slack-Signature",
        "X-Webhook-Token",
        "X-Api-Key",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    public static bool IsSensitive(string name) => Names.Contains(name);

    /// <summary>
    /// Also true for the header a source's secret arrives in as is (a named header, X-Gitlab-Token). A signature header
    /// gives no secret away and is kept, so a stored payload can still be checked against a verification.
    /// </summary>
    public static bool IsSensitive(string name, VerificationSettings? verification)
    {
        if (IsSensitive(name))
            return true;
        if (verification is null || verification.Kind == VerificationKind.None)
            return false;
        var scheme = VerificationPresets.For(verification.Kind)?.Scheme;
        return scheme is not null && scheme.SecretHeaders(verification).Contains(name, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// "••••" alone, or followed by the last 4 characters when the value is long enough (over 16)
    /// that they help tell two values apart without giving the value away.
    /// </summary>
    public static string Mask(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length > 16 ? MaskPrefix + value[^4..] : MaskPrefix;
    }
}
