using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace WebhookStudio.Features.Sources.Inbound;

/// <summary>
/// How a source checks its sender. Every app kind's API name equals its catalog key ("slack", "hubspot"), so a
/// source made from the catalog can pick its preset by its app. <see cref="VerificationPresets"/> says how each works.
/// </summary>
public enum VerificationKind
{
    None,

    /// <summary>A header (<see cref="VerificationSettings.HeaderName"/>) carries the secret itself.</summary>
    SharedSecretHeader,

    /// <summary>standardwebhooks.com: webhook-id, webhook-timestamp, webhook-signature (or their svix- spellings).</summary>
    StandardWebhooks,

    // One word in the API, as users and the catalog write it; the snake_case policy alone would make it "git_hub".
    [JsonStringEnumMemberName("github")]
    GitHub,
    Stripe,
    Slack,
    Zoom,
    Shopify,
    Trello,
    Asana,
    Notion,
    Meta,
    Dropbox,
    Discord,
    [JsonStringEnumMemberName("sendgrid")]
    SendGrid,
    Xero,
    Twilio,
    Mattermost,
    Typeform,
    Calendly,
    Paddle,
    Square,
    [JsonStringEnumMemberName("hubspot")]
    HubSpot,
    [JsonStringEnumMemberName("gitlab")]
    GitLab,
    Sentry,
    [JsonStringEnumMemberName("pagerduty")]
    PagerDuty,
    Linear,
    Intercom,
    Zendesk,
    Bitbucket,
    Jira,
    Webflow,
    Vercel,
    [JsonStringEnumMemberName("clickup")]
    ClickUp,
    [JsonStringEnumMemberName("docusign")]
    DocuSign,
    [JsonStringEnumMemberName("quickbooks")]
    QuickBooks,
    [JsonStringEnumMemberName("woocommerce")]
    WooCommerce,
    Airtable,
    [JsonStringEnumMemberName("msteams")]
    MsTeams,
    Clerk,
    Resend,

    /// <summary>An HMAC described by <see cref="VerificationSettings.Custom"/>, for apps outside the catalog.</summary>
    CustomHmac,
}

public enum HmacAlgorithm { Sha1, Sha256, Sha512 }

public enum SignatureEncoding { Hex, Base64 }

/// <summary>The signature kind <see cref="VerificationKind.CustomHmac"/>: what a user reads off an app's documentation.</summary>
public sealed record CustomSignature
{
    public HmacAlgorithm Algorithm { get; init; } = HmacAlgorithm.Sha256;
    public SignatureEncoding Encoding { get; init; } = SignatureEncoding.Hex;

    /// <summary>Text before the signature in the header, e.g. <c>sha256=</c>; empty when there is none.</summary>
    public string Prefix { get; init; } = "";

    /// <summary>What is signed, as a <see cref="SignedContentTemplate"/>: <c>{body}</c>, <c>{timestamp}.{body}</c>…</summary>
    public string SignedContent { get; init; } = SignedContentTemplate.BodyOnly;

    /// <summary>The header with the signed unix timestamp; its age is checked against the tolerance when set.</summary>
    public string? TimestampHeader { get; init; }
}

/// <summary>How a source checks that a payload comes from its sender.</summary>
public sealed record VerificationSettings
{
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    public VerificationKind Kind { get; init; }

    /// <summary>The signing secret, shared token or (Discord, SendGrid) public key the app shows.</summary>
    public string Secret { get; init; } = "";

    /// <summary>For <see cref="VerificationKind.SharedSecretHeader"/> (e.g. <c>X-Webhook-Token</c>) and the custom signature's header.</summary>
    public string? HeaderName { get; init; }

    /// <summary>Meta's "Verify token", which Meta sends once in a GET to confirm the callback URL.</summary>
    public string? VerifyToken { get; init; }

    /// <summary>Only for <see cref="VerificationKind.CustomHmac"/>.</summary>
    public CustomSignature? Custom { get; init; }

    /// <summary>How far a signed timestamp may be from now, either way, before it counts as a replay.</summary>
    public TimeSpan Tolerance { get; init; } = DefaultTolerance;

    // The secret and token stay out of logs and exception messages that print the settings.
    public override string ToString() =>
        $"{nameof(VerificationSettings)} {{ Kind = {Kind}, HeaderName = {HeaderName}, Custom = {Custom}, Tolerance = {Tolerance} }}";
}

public sealed record VerificationResult
{
    public static readonly VerificationResult Ok = new((string?)null);

    private VerificationResult(string? failureReason) => FailureReason = failureReason;

    /// <summary>Why verification failed, in words a user can act on; null when it passed.</summary>
    public string? FailureReason { get; }

    [MemberNotNullWhen(false, nameof(FailureReason))]
    public bool IsValid => FailureReason is null;

    public static VerificationResult Fail(string reason) => new(reason);
}
