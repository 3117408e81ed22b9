using System.Collections.Frozen;
using WebhookStudio.Features.Sources.Inbound.Schemes;

namespace WebhookStudio.Features.Sources.Inbound;

/// <summary>A verification kind as the user sees it, and the scheme that checks it.</summary>
/// <param name="SecretHelp">Which secret to paste and where the app shows it, in plain words.</param>
/// <param name="Scheme">Null only for <see cref="VerificationKind.CustomHmac"/>, whose scheme the settings describe.</param>
/// <param name="SignsUrl">The signature covers the receiver URL, so it must be the public one the app calls.</param>
/// <param name="ChecksTimestamp">A signed timestamp older than the tolerance is refused.</param>
public sealed record VerificationPreset(
    VerificationKind Kind,
    string Title,
    string SecretLabel,
    string SecretHelp,
    IVerificationScheme? Scheme,
    string Documentation,
    bool SignsUrl = false,
    bool ChecksTimestamp = false);

/// <summary>Every verification kind: one line of data per app, following the app's documentation.</summary>
public static class VerificationPresets
{
    private const string HubSignature = "X-Hub-Signature";
    private static readonly SignedContentTemplate TimestampColonBody = SignedContentTemplate.Of("{timestamp}:{body}");
    private static readonly SignedContentTemplate SlackStyle = SignedContentTemplate.Of("v0:{timestamp}:{body}");

    public static IReadOnlyList<VerificationPreset> All { get; } =
    [
        new(VerificationKind.SharedSecretHeader, "Secret in a header", "Secret",
            "The secret the app sends as is in a header; name the header below.",
            new SharedTokenScheme(), "(any app that sends a fixed token in a header)"),
        new(VerificationKind.StandardWebhooks, "Standard Webhooks", "Signing secret",
            "The signing secret (whsec_…) on the app's webhook endpoint page.",
            new StandardWebhooksScheme(), "https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md", ChecksTimestamp: true),
        new(VerificationKind.CustomHmac, "Custom signature", "Secret",
            "The secret the app signs with; describe its signature below as its documentation does.",
            null, "(the app's own documentation)"),

        // docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries: sha256= hex HMAC-SHA256 of the body.
        new(VerificationKind.GitHub, "GitHub", "Webhook secret",
            "The Secret you typed when adding the webhook (repository or organization Settings → Webhooks).",
            new HmacScheme { Header = "X-Hub-Signature-256", Prefix = "sha256=" }, "https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries"),
        // docs.stripe.com/webhooks#verify-manually: Stripe-Signature t=…,v1= hex HMAC-SHA256 of "t.body".
        new(VerificationKind.Stripe, "Stripe", "Signing secret",
            "The signing secret (whsec_…): Developers → Webhooks → your endpoint → Signing secret → Reveal.",
            new TimestampedSignatureScheme { Header = "Stripe-Signature" }, "https://docs.stripe.com/webhooks#verify-manually", ChecksTimestamp: true),
        // api.slack.com/authentication/verifying-requests-from-slack: v0= hex HMAC-SHA256 of "v0:ts:body", 5 minutes.
        new(VerificationKind.Slack, "Slack", "Signing secret",
            "The Signing Secret: your app at api.slack.com/apps → Basic Information → App Credentials.",
            new HmacScheme { Header = "X-Slack-Signature", Prefix = "v0=", SignedContent = SlackStyle, TimestampHeader = "X-Slack-Request-Timestamp", ChecksTimestampAge = true, SignedWhat = "the timestamp and the body" },
            "https://api.slack.com/authentication/verifying-requests-from-slack", ChecksTimestamp: true),
        // developers.zoom.us/docs/api/webhooks/#verify-webhook-events: x-zm-signature v0= hex HMAC-SHA256 of "v0:ts:body".
        new(VerificationKind.Zoom, "Zoom", "Secret token",
            "The Secret Token: your app in the Zoom App Marketplace → Features → Access.",
            new HmacScheme { Header = "x-zm-signature", Prefix = "v0=", SignedContent = SlackStyle, TimestampHeader = "x-zm-request-timestamp", SignedWhat = "the timestamp and the body" },
            "https://developers.zoom.us/docs/api/webhooks/#verify-webhook-events"),
        // shopify.dev/docs/apps/build/webhooks/subscribe/https#step-5-verify-the-webhook: base64 HMAC-SHA256 of the body.
        new(VerificationKind.Shopify, "Shopify", "Client secret",
            "Your app's client secret (Dev Dashboard → your app → Settings), or for a webhook made in the store admin the key under Settings → Notifications → Webhooks.",
            new HmacScheme { Header = "X-Shopify-Hmac-Sha256", Encoding = SignatureEncoding.Base64 }, "https://shopify.dev/docs/apps/build/webhooks/subscribe/https"),
        // developer.atlassian.com/cloud/trello/guides/rest-api/webhooks/#webhook-signatures: base64 HMAC-SHA1 of body + callbackURL.
        new(VerificationKind.Trello, "Trello", "API secret",
            "Your Power-Up's API secret: trello.com/power-ups/admin → your Power-Up → API key → Secret.",
            new HmacScheme { Header = "X-Trello-Webhook", Algorithm = HmacAlgorithm.Sha1, Encoding = SignatureEncoding.Base64, SignedContent = SignedContentTemplate.Of("{body}{url}"), SignedWhat = "the body and this receiver URL" },
            "https://developer.atlassian.com/cloud/trello/guides/rest-api/webhooks/#webhook-signatures", SignsUrl: true),
        // developers.asana.com/docs/webhooks-guide#security: X-Hook-Signature hex HMAC-SHA256 of the body, keyed with X-Hook-Secret.
        new(VerificationKind.Asana, "Asana", "Hook secret",
            "Nothing to paste: save Asana here first, then create the webhook in Asana; the studio keeps the X-Hook-Secret of Asana's handshake.",
            new HmacScheme { Header = "X-Hook-Signature" }, "https://developers.asana.com/docs/webhooks-guide#security"),
        // developers.notion.com/reference/webhooks#validating-event-payloads: sha256= hex HMAC-SHA256 of the body, keyed with the verification_token.
        new(VerificationKind.Notion, "Notion", "Verification token",
            "The verification_token Notion sent when you created the subscription: it shows here as a rejected payload; copy it from its body.",
            new HmacScheme { Header = "X-Notion-Signature", Prefix = "sha256=" }, "https://developers.notion.com/reference/webhooks#validating-event-payloads"),
        // developers.facebook.com/docs/graph-api/webhooks/getting-started: X-Hub-Signature-256 sha256= hex HMAC-SHA256 with the App Secret.
        new(VerificationKind.Meta, "Meta", "App secret",
            "The App Secret: your app at developers.facebook.com → App settings → Basic. Also type the Verify token you enter in the Webhooks product.",
            new HmacScheme { Header = "X-Hub-Signature-256", Prefix = "sha256=" }, "https://developers.facebook.com/docs/graph-api/webhooks/getting-started"),
        // dropbox.com/developers/reference/webhooks: X-Dropbox-Signature hex HMAC-SHA256 of the body with the app secret.
        new(VerificationKind.Dropbox, "Dropbox", "App secret",
            "The App secret: your app in the Dropbox App Console → Settings.",
            new HmacScheme { Header = "X-Dropbox-Signature" }, "https://www.dropbox.com/developers/reference/webhooks"),
        // discord.com/developers/docs/interactions/overview: X-Signature-Ed25519 over X-Signature-Timestamp + body.
        new(VerificationKind.Discord, "Discord", "Public key",
            "The Public Key: your application in the Discord Developer Portal → General Information.",
            new Ed25519Scheme(), "https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint-validating-security-request-headers", ChecksTimestamp: true),
        // twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features: ECDSA over timestamp + body.
        new(VerificationKind.SendGrid, "SendGrid", "Verification key",
            "The Verification Key SendGrid shows once you turn on Signed Event Webhook (Settings → Mail Settings → Event Webhook).",
            new EcdsaScheme(), "https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features"),
        // developer.xero.com/documentation/guides/webhooks/configuring-your-server: x-xero-signature base64 HMAC-SHA256 of the body.
        new(VerificationKind.Xero, "Xero", "Webhooks key",
            "The Webhooks key: your app at developer.xero.com → Webhooks.",
            new HmacScheme { Header = "x-xero-signature", Encoding = SignatureEncoding.Base64 }, "https://developer.xero.com/documentation/guides/webhooks/configuring-your-server"),
        // twilio.com/docs/usage/webhooks/webhooks-security: base64 HMAC-SHA1 of URL + sorted form fields.
        new(VerificationKind.Twilio, "Twilio", "Auth token",
            "Your Auth Token: Twilio Console → Account Info.",
            new TwilioScheme(), "https://www.twilio.com/docs/usage/webhooks/webhooks-security", SignsUrl: true),
        // developers.mattermost.com/integrate/webhooks/outgoing: the token field of the body.
        new(VerificationKind.Mattermost, "Mattermost", "Token",
            "The Token Mattermost shows after you save the outgoing webhook (Integrations → Outgoing Webhooks).",
            new SharedTokenScheme { BodyField = "token" }, "https://developers.mattermost.com/integrate/webhooks/outgoing/"),
        // typeform.com/developers/webhooks/secure-your-webhooks: Typeform-Signature sha256= base64 HMAC-SHA256 of the body.
        new(VerificationKind.Typeform, "Typeform", "Webhook secret",
            "The secret you set on the webhook: your form → Connect → Webhooks → Edit → Secret.",
            new HmacScheme { Header = "Typeform-Signature", Prefix = "sha256=", Encoding = SignatureEncoding.Base64 }, "https://www.typeform.com/developers/webhooks/secure-your-webhooks/"),
        // developer.calendly.com/api-docs/4c305798a61d3-webhook-signatures: t=…,v1= hex HMAC-SHA256 of "t.body".
        new(VerificationKind.Calendly, "Calendly", "Signing key",
            "The signing_key you gave when creating the webhook subscription.",
            new TimestampedSignatureScheme { Header = "Calendly-Webhook-Signature" }, "https://developer.calendly.com/api-docs/4c305798a61d3-webhook-signatures", ChecksTimestamp: true),
        // developer.paddle.com/webhooks/signature-verification: Paddle-Signature ts=…;h1= hex HMAC-SHA256 of "ts:body".
        new(VerificationKind.Paddle, "Paddle", "Secret key",
            "The notification destination's secret key (pdl_ntfset_…): Developer tools → Notifications → your destination → Edit.",
            new TimestampedSignatureScheme { Header = "Paddle-Signature", PairSeparator = ';', TimestampKey = "ts", SignatureKey = "h1", ContentSeparator = ":" },
            "https://developer.paddle.com/webhooks/signature-verification", ChecksTimestamp: true),
        // developer.squareup.com/docs/webhooks/step3validate: base64 HMAC-SHA256 of notification URL + body.
        new(VerificationKind.Square, "Square", "Signature key",
            "The Signature key of the webhook subscription: Developer Console → your app → Webhooks → Subscriptions.",
            new HmacScheme { Header = "x-square-hmacsha256-signature", Encoding = SignatureEncoding.Base64, SignedContent = SignedContentTemplate.Of("{url}{body}"), SignedWhat = "this receiver URL and the body" },
            "https://developer.squareup.com/docs/webhooks/step3validate", SignsUrl: true),
        // developers.hubspot.com/docs/api/webhooks/validating-requests (v3): base64 HMAC-SHA256 of method + URI + body + timestamp (ms), 5 minutes.
        new(VerificationKind.HubSpot, "HubSpot", "Client secret",
            "Your app's Client secret: the app's Auth page in your HubSpot developer account.",
            new HmacScheme { Header = "X-HubSpot-Signature-v3", Encoding = SignatureEncoding.Base64, SignedContent = SignedContentTemplate.Of("{method}{url}{body}{timestamp}"), TimestampHeader = "X-HubSpot-Request-Timestamp", TimestampFormat = TimestampFormat.UnixMilliseconds, ChecksTimestampAge = true, SignedWhat = "the method, this receiver URL, the body and the timestamp" },
            "https://developers.hubspot.com/docs/api/webhooks/validating-requests", SignsUrl: true, ChecksTimestamp: true),
        // docs.gitlab.com/user/project/integrations/webhooks: X-Gitlab-Token carries the secret token itself.
        new(VerificationKind.GitLab, "GitLab", "Secret token",
            "The Secret token you typed when adding the webhook (project Settings → Webhooks).",
            new SharedTokenScheme { Header = "X-Gitlab-Token" }, "https://docs.gitlab.com/user/project/integrations/webhooks/"),
        // docs.sentry.io/organization/integrations/integration-platform/webhooks: Sentry-Hook-Signature hex HMAC-SHA256 of the body.
        new(VerificationKind.Sentry, "Sentry", "Client secret",
            "The Client Secret of your integration: Settings → Developer Settings → your integration.",
            new HmacScheme { Header = "Sentry-Hook-Signature" }, "https://docs.sentry.io/organization/integrations/integration-platform/webhooks/"),
        // developer.pagerduty.com/docs/webhooks/webhook-signatures: v1= hex HMAC-SHA256 of the body, several comma-separated.
        new(VerificationKind.PagerDuty, "PagerDuty", "Signing secret",
            "The signing secret PagerDuty shows once when you add the webhook subscription (Integrations → Generic Webhooks).",
            new HmacScheme { Header = "X-PagerDuty-Signature", Prefix = "v1=", ListSeparator = ',' }, "https://developer.pagerduty.com/docs/webhooks/webhook-signatures/"),
        // linear.app/developers/webhooks#securing-webhooks: Linear-Signature hex HMAC-SHA256 of the body.
        new(VerificationKind.Linear, "Linear", "Signing secret",
            "The signing secret on the webhook's page: Settings → API → Webhooks → your webhook.",
            new HmacScheme { Header = "Linear-Signature" }, "https://linear.app/developers/webhooks#securing-webhooks"),
        // developers.intercom.com/docs/webhooks/webhook-notifications#signed-notifications: X-Hub-Signature sha1= hex HMAC-SHA1.
        new(VerificationKind.Intercom, "Intercom", "Client secret",
            "Your app's Client secret: Developer Hub → your app → Basic information.",
            new HmacScheme { Header = HubSignature, Prefix = "sha1=", Algorithm = HmacAlgorithm.Sha1 }, "https://developers.intercom.com/docs/webhooks/webhook-notifications"),
        // developer.zendesk.com/documentation/webhooks/verifying: base64 HMAC-SHA256 of timestamp + body.
        new(VerificationKind.Zendesk, "Zendesk", "Signing secret",
            "The webhook's signing secret: Admin Center → Apps and integrations → Webhooks → your webhook → Reveal secret.",
            new HmacScheme { Header = "X-Zendesk-Webhook-Signature", Encoding = SignatureEncoding.Base64, SignedContent = SignedContentTemplate.Of("{timestamp}{body}"), TimestampHeader = "X-Zendesk-Webhook-Signature-Timestamp", TimestampFormat = TimestampFormat.Iso8601, SignedWhat = "the timestamp and the body" },
            "https://developer.zendesk.com/documentation/webhooks/verifying/"),
        // support.atlassian.com/bitbucket-cloud/docs/manage-webhooks: X-Hub-Signature sha256= hex HMAC-SHA256 of the body.
        new(VerificationKind.Bitbucket, "Bitbucket", "Webhook secret",
            "The Secret you set on the webhook (Repository settings → Webhooks).",
            new HmacScheme { Header = HubSignature, Prefix = "sha256=" }, "https://support.atlassian.com/bitbucket-cloud/docs/manage-webhooks/"),
        // developer.atlassian.com/cloud/jira/platform/webhooks/#secure-admin-webhooks: X-Hub-Signature sha256= hex HMAC-SHA256.
        new(VerificationKind.Jira, "Jira", "Webhook secret",
            "The Secret you set on the webhook (Jira settings → System → WebHooks).",
            new HmacScheme { Header = HubSignature, Prefix = "sha256=" }, "https://developer.atlassian.com/cloud/jira/platform/webhooks/"),
        // developers.webflow.com/data/docs/working-with-webhooks: hex HMAC-SHA256 of "timestamp:body", timestamp in ms, 5 minutes.
        new(VerificationKind.Webflow, "Webflow", "Client secret",
            "Your OAuth app's Client Secret (Workspace settings → Apps & Integrations → your app), or the secret returned when the webhook was created through the API.",
            new HmacScheme { Header = "x-webflow-signature", SignedContent = TimestampColonBody, TimestampHeader = "x-webflow-timestamp", TimestampFormat = TimestampFormat.UnixMilliseconds, ChecksTimestampAge = true, SignedWhat = "the timestamp and the body" },
            "https://developers.webflow.com/data/docs/working-with-webhooks", ChecksTimestamp: true),
        // vercel.com/docs/webhooks/webhooks-api#securing-webhooks: x-vercel-signature hex HMAC-SHA1 of the body.
        new(VerificationKind.Vercel, "Vercel", "Webhook secret",
            "The secret Vercel shows once when you create the webhook (Team Settings → Webhooks).",
            new HmacScheme { Header = "x-vercel-signature", Algorithm = HmacAlgorithm.Sha1 }, "https://vercel.com/docs/webhooks/webhooks-api#securing-webhooks"),
        // developer.clickup.com/docs/webhooksignature: X-Signature hex HMAC-SHA256 of the body.
        new(VerificationKind.ClickUp, "ClickUp", "Webhook secret",
            "The secret in ClickUp's answer when the webhook was created (Create Webhook).",
            new HmacScheme { Header = "X-Signature" }, "https://developer.clickup.com/docs/webhooksignature"),
        // developers.docusign.com/platform/webhooks/connect/hmac: X-DocuSign-Signature-n base64 HMAC-SHA256 of the body.
        new(VerificationKind.DocuSign, "DocuSign", "HMAC key",
            "A Connect HMAC key: Settings → Connect → Connect Keys → Add Secret Key.",
            new HmacScheme { Header = "X-DocuSign-Signature", Encoding = SignatureEncoding.Base64, NumberedHeaders = true }, "https://developers.docusign.com/platform/webhooks/connect/hmac/"),
        // developer.intuit.com/app/developer/qbo/docs/develop/webhooks: intuit-signature base64 HMAC-SHA256 of the body.
        new(VerificationKind.QuickBooks, "QuickBooks", "Verifier token",
            "The Verifier Token: your app at developer.intuit.com → Webhooks.",
            new HmacScheme { Header = "intuit-signature", Encoding = SignatureEncoding.Base64 }, "https://developer.intuit.com/app/developer/qbo/docs/develop/webhooks"),
        // woocommerce.com/document/webhooks: X-WC-Webhook-Signature base64 HMAC-SHA256 of the body.
        new(VerificationKind.WooCommerce, "WooCommerce", "Webhook secret",
            "The Secret on the webhook: WooCommerce → Settings → Advanced → Webhooks → your webhook.",
            new HmacScheme { Header = "X-WC-Webhook-Signature", Encoding = SignatureEncoding.Base64 }, "https://woocommerce.com/document/webhooks/"),
        // airtable.com/developers/web/api/webhooks-overview: hmac-sha256= hex HMAC-SHA256 keyed with the decoded macSecretBase64.
        new(VerificationKind.Airtable, "Airtable", "MAC secret",
            "The macSecretBase64 Airtable returned when the webhook was created.",
            new HmacScheme { Header = "X-Airtable-Content-MAC", Prefix = "hmac-sha256=", Key = KeyFormat.Base64 }, "https://airtable.com/developers/web/api/webhooks-overview"),
        // learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/add-outgoing-webhook: Authorization "HMAC " base64, key base64.
        new(VerificationKind.MsTeams, "Microsoft Teams", "Security token",
            "The security token Teams shows once when you create the outgoing webhook (team → Manage team → Apps → Create an outgoing webhook).",
            new HmacScheme { Header = "Authorization", Prefix = "HMAC ", Encoding = SignatureEncoding.Base64, Key = KeyFormat.Base64 },
            "https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-outgoing-webhook"),
        // clerk.com/docs/webhooks/sync-data: Svix, i.e. Standard Webhooks with svix-* headers.
        new(VerificationKind.Clerk, "Clerk", "Signing secret",
            "The Signing Secret (whsec_…): Clerk Dashboard → Webhooks → your endpoint.",
            new StandardWebhooksScheme { HeaderPrefix = "svix-" }, "https://clerk.com/docs/webhooks/sync-data", ChecksTimestamp: true),
        // resend.com/docs/dashboard/webhooks/verify-webhooks-requests: Svix, i.e. Standard Webhooks with svix-* headers.
        new(VerificationKind.Resend, "Resend", "Signing secret",
            "The Signing Secret (whsec_…): Resend → Webhooks → your webhook.",
            new StandardWebhooksScheme { HeaderPrefix = "svix-" }, "https://resend.com/docs/dashboard/webhooks/verify-webhooks-requests", ChecksTimestamp: true),
    ];

    private static readonly FrozenDictionary<VerificationKind, VerificationPreset> ByKind = All.ToFrozenDictionary(p => p.Kind);

    public static VerificationPreset? For(VerificationKind kind) => ByKind.GetValueOrDefault(kind);

    /// <summary>The scheme that checks <paramref name="settings"/>, or why there is none (an incomplete custom signature).</summary>
    public static (IVerificationScheme? Scheme, string? Problem) SchemeFor(VerificationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Kind != VerificationKind.CustomHmac)
            return For(settings.Kind)?.Scheme is { } scheme ? (scheme, null) : (null, $"Unknown verification kind {settings.Kind}");
        return CustomScheme(settings.HeaderName, settings.Custom);
    }

    /// <summary>The custom signature as an <see cref="HmacScheme"/>, or what is missing from its description.</summary>
    public static (HmacScheme? Scheme, string? Problem) CustomScheme(string? header, CustomSignature? custom)
    {
        if (string.IsNullOrWhiteSpace(header))
            return (null, "No signature header is configured for the custom signature");
        custom ??= new CustomSignature();
        var (template, problem) = SignedContentTemplate.Parse(custom.SignedContent);
        if (template is null)
            return (null, problem);
        if (template.UsesTimestamp && string.IsNullOrWhiteSpace(custom.TimestampHeader))
            return (null, "The signed content uses {timestamp}: name the header that carries it");
        return (new HmacScheme
        {
            Header = header.Trim(),
            Algorithm = custom.Algorithm,
            Encoding = custom.Encoding,
            Prefix = custom.Prefix,
            SignedContent = template,
            TimestampHeader = string.IsNullOrWhiteSpace(custom.TimestampHeader) ? null : custom.TimestampHeader.Trim(),
            ChecksTimestampAge = !string.IsNullOrWhiteSpace(custom.TimestampHeader),
            SignedWhat = $"\"{custom.SignedContent}\"",
        }, null);
    }
}
