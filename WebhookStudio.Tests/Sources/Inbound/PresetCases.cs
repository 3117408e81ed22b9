using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using WebhookStudio.Features.Sources.Inbound;

namespace WebhookStudio.Tests.Sources.Inbound;

/// <summary>What a sender signs: the body, the URL it calls and the moment it sends.</summary>
public sealed record Signing(string Body, string Url, DateTimeOffset At)
{
    public string Seconds => At.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
    public string Milliseconds => At.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// One preset and the sender's side of it, written from the app's documentation with .NET's own primitives, never
/// with the studio's verifier: the secret, a wrong one, and the headers the app would send.
/// </summary>
public sealed record PresetCase(VerificationKind Kind, string Secret, string OtherSecret, Func<Signing, Dictionary<string, string>> Sign)
{
    public const string JsonBody = """{"id":"evt_1","name":"Signed"}""";
    public const string ChangedJsonBody = """{"id":"evt_1","name":"Forged"}""";

    public string Body { get; init; } = JsonBody;
    public string ChangedBody { get; init; } = ChangedJsonBody;
    public string ContentType { get; init; } = "application/json";

    /// <summary>False for plain shared tokens: nothing ties them to the body.</summary>
    public bool SignsBody { get; init; } = true;

    public bool SignsUrl { get; init; }
    public bool ChecksTimestamp { get; init; }

    /// <summary>The reason given when the request carries none of the app's headers.</summary>
    public required string MissingReason { get; init; }

    public Func<VerificationSettings, VerificationSettings> Configure { get; init; } = settings => settings;

    public override string ToString() => Kind.ToString();
}

public static class PresetCases
{
    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Mac(HashAlgorithmName algorithm, byte[] key, string content) =>
        algorithm == HashAlgorithmName.SHA1 ? HMACSHA1.HashData(key, Utf8(content))
        : algorithm == HashAlgorithmName.SHA512 ? HMACSHA512.HashData(key, Utf8(content))
        : HMACSHA256.HashData(key, Utf8(content));

    private static string Hex256(string key, string content) => Convert.ToHexStringLower(Mac(HashAlgorithmName.SHA256, Utf8(key), content));
    private static string Base64256(string key, string content) => Convert.ToBase64String(Mac(HashAlgorithmName.SHA256, Utf8(key), content));
    private static string Hex1(string key, string content) => Convert.ToHexStringLower(Mac(HashAlgorithmName.SHA1, Utf8(key), content));

    private static Dictionary<string, string> H(params (string Name, string Value)[] headers) =>
        headers.ToDictionary(h => h.Name, h => h.Value, StringComparer.OrdinalIgnoreCase);

    private static PresetCase Header(VerificationKind kind, string header, Func<string, Signing, string> value) =>
        new(kind, "s3cret-" + kind, "other-" + kind, s => H((header, value("s3cret-" + kind, s)))) { MissingReason = $"Missing header {header}" };

    // Discord and SendGrid sign with private keys; the studio is given the public one.
    private static readonly Ed25519PrivateKeyParameters DiscordKey = new(SHA256.HashData(Utf8("discord test key")));
    private static readonly Ed25519PrivateKeyParameters OtherDiscordKey = new(SHA256.HashData(Utf8("another discord key")));
    private static readonly ECDsa SendGridKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private static readonly ECDsa OtherSendGridKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private static readonly byte[] AirtableKey = SHA256.HashData(Utf8("airtable mac secret"));
    private static readonly byte[] TeamsKey = SHA256.HashData(Utf8("teams security token"));
    private static readonly byte[] StandardKey = SHA256.HashData(Utf8("standard webhooks key"));

    private static string DiscordSignature(string message)
    {
        var signer = new Ed25519Signer();
        signer.Init(true, DiscordKey);
        var bytes = Utf8(message);
        signer.BlockUpdate(bytes, 0, bytes.Length);
        return Convert.ToHexStringLower(signer.GenerateSignature());
    }

    private static PresetCase Svix(VerificationKind kind, string prefix) =>
        new(kind, "whsec_" + Convert.ToBase64String(StandardKey), "whsec_" + Convert.ToBase64String(SHA256.HashData(Utf8("other"))),
            s => H((prefix + "id", "msg_1"), (prefix + "timestamp", s.Seconds),
                   (prefix + "signature", "v1," + Convert.ToBase64String(HMACSHA256.HashData(StandardKey, Utf8($"msg_1.{s.Seconds}.{s.Body}"))))))
        { ChecksTimestamp = true, MissingReason = $"Missing header {prefix}id" };

    private const string TwilioForm = "To=%2B18005551212&From=%2B14158675310&Body=Hello+there&MessageSid=SM123";
    private const string MattermostForm = "channel_name=town-square&team_domain=acme&text=deploy+now&token={0}&user_name=ada";

    public static IReadOnlyList<PresetCase> All { get; } =
    [
        new(VerificationKind.SharedSecretHeader, "let-me-in-token", "guess", _ => H(("X-Webhook-Token", "let-me-in-token")))
        {
            SignsBody = false, MissingReason = "Missing header X-Webhook-Token",
            Configure = settings => settings with { HeaderName = "X-Webhook-Token" },
        },
        Svix(VerificationKind.StandardWebhooks, "webhook-"),
        Svix(VerificationKind.Clerk, "svix-"),
        Svix(VerificationKind.Resend, "svix-"),

        // GitHub: X-Hub-Signature-256 = "sha256=" + hex HMAC-SHA256(secret, body).
        Header(VerificationKind.GitHub, "X-Hub-Signature-256", (k, s) => "sha256=" + Hex256(k, s.Body)),
        // Stripe: Stripe-Signature = "t=" + ts + ",v1=" + hex HMAC-SHA256(secret, ts + "." + body).
        new(VerificationKind.Stripe, "whsec_stripe", "whsec_other", s => H(("Stripe-Signature", $"t={s.Seconds},v1={Hex256("whsec_stripe", $"{s.Seconds}.{s.Body}")}")))
            { ChecksTimestamp = true, MissingReason = "Missing header Stripe-Signature" },
        // Slack: X-Slack-Signature = "v0=" + hex HMAC-SHA256(secret, "v0:" + ts + ":" + body).
        new(VerificationKind.Slack, "slack-signing", "other", s => H(("X-Slack-Request-Timestamp", s.Seconds), ("X-Slack-Signature", "v0=" + Hex256("slack-signing", $"v0:{s.Seconds}:{s.Body}"))))
            { ChecksTimestamp = true, MissingReason = "Missing header X-Slack-Signature" },
        // Zoom: x-zm-signature = "v0=" + hex HMAC-SHA256(secret token, "v0:" + x-zm-request-timestamp + ":" + body).
        new(VerificationKind.Zoom, "zoom-token", "other", s => H(("x-zm-request-timestamp", s.Seconds), ("x-zm-signature", "v0=" + Hex256("zoom-token", $"v0:{s.Seconds}:{s.Body}"))))
            { MissingReason = "Missing header x-zm-signature" },
        // Shopify: X-Shopify-Hmac-Sha256 = base64 HMAC-SHA256(secret, body).
        Header(VerificationKind.Shopify, "X-Shopify-Hmac-Sha256", (k, s) => Base64256(k, s.Body)),
        // Trello: X-Trello-Webhook = base64 HMAC-SHA1(secret, body + callbackURL).
        Header(VerificationKind.Trello, "X-Trello-Webhook", (k, s) => Convert.ToBase64String(Mac(HashAlgorithmName.SHA1, Utf8(k), s.Body + s.Url))) with { SignsUrl = true },
        // Asana: X-Hook-Signature = hex HMAC-SHA256(X-Hook-Secret, body).
        Header(VerificationKind.Asana, "X-Hook-Signature", (k, s) => Hex256(k, s.Body)),
        // Notion: X-Notion-Signature = "sha256=" + hex HMAC-SHA256(verification_token, body).
        Header(VerificationKind.Notion, "X-Notion-Signature", (k, s) => "sha256=" + Hex256(k, s.Body)),
        // Meta: X-Hub-Signature-256 = "sha256=" + hex HMAC-SHA256(app secret, body).
        Header(VerificationKind.Meta, "X-Hub-Signature-256", (k, s) => "sha256=" + Hex256(k, s.Body)) with { Configure = settings => settings with { VerifyToken = "meta-verify" } },
        // Dropbox: X-Dropbox-Signature = hex HMAC-SHA256(app secret, body).
        Header(VerificationKind.Dropbox, "X-Dropbox-Signature", (k, s) => Hex256(k, s.Body)),
        // Discord: X-Signature-Ed25519 = hex Ed25519(timestamp + body), X-Signature-Timestamp; the studio has the public key.
        new(VerificationKind.Discord, Convert.ToHexStringLower(DiscordKey.GeneratePublicKey().GetEncoded()), Convert.ToHexStringLower(OtherDiscordKey.GeneratePublicKey().GetEncoded()),
            s => H(("X-Signature-Timestamp", s.Seconds), ("X-Signature-Ed25519", DiscordSignature(s.Seconds + s.Body))))
            { ChecksTimestamp = true, MissingReason = "Missing header X-Signature-Ed25519" },
        // SendGrid: base64 DER ECDSA P-256/SHA-256 of timestamp + body; the key as SendGrid shows it, base64 DER SubjectPublicKeyInfo.
        new(VerificationKind.SendGrid, Convert.ToBase64String(SendGridKey.ExportSubjectPublicKeyInfo()), Convert.ToBase64String(OtherSendGridKey.ExportSubjectPublicKeyInfo()),
            s => H(("X-Twilio-Email-Event-Webhook-Timestamp", s.Seconds),
                   ("X-Twilio-Email-Event-Webhook-Signature", Convert.ToBase64String(SendGridKey.SignData(Utf8(s.Seconds + s.Body), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)))))
            { MissingReason = "Missing header X-Twilio-Email-Event-Webhook-Signature" },
        // Xero: x-xero-signature = base64 HMAC-SHA256(webhooks key, body).
        Header(VerificationKind.Xero, "x-xero-signature", (k, s) => Base64256(k, s.Body)),
        // Twilio: X-Twilio-Signature = base64 HMAC-SHA1(auth token, URL + each POST field name+value sorted by name).
        new(VerificationKind.Twilio, "twilio-auth-token", "other",
            s => H(("X-Twilio-Signature", Convert.ToBase64String(Mac(HashAlgorithmName.SHA1, Utf8("twilio-auth-token"),
                s.Url + string.Concat(System.Web.HttpUtility.ParseQueryString(s.Body).AllKeys.Order(StringComparer.Ordinal)
                    .Select(key => key + System.Web.HttpUtility.ParseQueryString(s.Body)[key])))))))
        {
            Body = TwilioForm, ChangedBody = TwilioForm.Replace("Hello", "Bye", StringComparison.Ordinal),
            ContentType = "application/x-www-form-urlencoded", SignsUrl = true, MissingReason = "Missing header X-Twilio-Signature",
        },
        // Mattermost: the outgoing webhook's token arrives as the body's token field.
        new(VerificationKind.Mattermost, "mm-token-1234", "mm-other", _ => H())
        {
            Body = string.Format(CultureInfo.InvariantCulture, MattermostForm, "mm-token-1234"), ContentType = "application/x-www-form-urlencoded",
            SignsBody = false, MissingReason = "The body has no token field",
        },
        // Typeform: Typeform-Signature = "sha256=" + base64 HMAC-SHA256(secret, body).
        Header(VerificationKind.Typeform, "Typeform-Signature", (k, s) => "sha256=" + Base64256(k, s.Body)),
        // Calendly: Calendly-Webhook-Signature = "t=" + ts + ",v1=" + hex HMAC-SHA256(signing key, ts + "." + body).
        new(VerificationKind.Calendly, "calendly-key", "other", s => H(("Calendly-Webhook-Signature", $"t={s.Seconds},v1={Hex256("calendly-key", $"{s.Seconds}.{s.Body}")}")))
            { ChecksTimestamp = true, MissingReason = "Missing header Calendly-Webhook-Signature" },
        // Paddle: Paddle-Signature = "ts=" + ts + ";h1=" + hex HMAC-SHA256(secret key, ts + ":" + body).
        new(VerificationKind.Paddle, "pdl_ntfset_01abc_secret", "pdl_ntfset_other", s => H(("Paddle-Signature", $"ts={s.Seconds};h1={Hex256("pdl_ntfset_01abc_secret", $"{s.Seconds}:{s.Body}")}")))
            { ChecksTimestamp = true, MissingReason = "Missing header Paddle-Signature" },
        // Square: x-square-hmacsha256-signature = base64 HMAC-SHA256(signature key, notification URL + body).
        Header(VerificationKind.Square, "x-square-hmacsha256-signature", (k, s) => Base64256(k, s.Url + s.Body)) with { SignsUrl = true },
        // HubSpot v3: X-HubSpot-Signature-v3 = base64 HMAC-SHA256(client secret, method + URI + body + timestamp in ms).
        new(VerificationKind.HubSpot, "hubspot-client-secret", "other",
            s => H(("X-HubSpot-Request-Timestamp", s.Milliseconds), ("X-HubSpot-Signature-v3", Base64256("hubspot-client-secret", "POST" + s.Url + s.Body + s.Milliseconds))))
            { SignsUrl = true, ChecksTimestamp = true, MissingReason = "Missing header X-HubSpot-Signature-v3" },
        // GitLab: X-Gitlab-Token carries the secret token as is.
        new(VerificationKind.GitLab, "gitlab-secret-token", "other", _ => H(("X-Gitlab-Token", "gitlab-secret-token"))) { SignsBody = false, MissingReason = "Missing header X-Gitlab-Token" },
        // Sentry: Sentry-Hook-Signature = hex HMAC-SHA256(client secret, body).
        Header(VerificationKind.Sentry, "Sentry-Hook-Signature", (k, s) => Hex256(k, s.Body)),
        // PagerDuty: X-PagerDuty-Signature = "v1=" + hex HMAC-SHA256(secret, body), several separated by commas.
        Header(VerificationKind.PagerDuty, "X-PagerDuty-Signature", (k, s) => $"v1={Hex256("rotated-away", s.Body)},v1={Hex256(k, s.Body)}"),
        // Linear: Linear-Signature = hex HMAC-SHA256(secret, body).
        Header(VerificationKind.Linear, "Linear-Signature", (k, s) => Hex256(k, s.Body)),
        // Intercom: X-Hub-Signature = "sha1=" + hex HMAC-SHA1(client secret, body).
        Header(VerificationKind.Intercom, "X-Hub-Signature", (k, s) => "sha1=" + Hex1(k, s.Body)),
        // Zendesk: X-Zendesk-Webhook-Signature = base64 HMAC-SHA256(secret, timestamp + body), ISO timestamp header.
        new(VerificationKind.Zendesk, "zendesk-secret", "other", s =>
        {
            var iso = s.At.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            return H(("X-Zendesk-Webhook-Signature-Timestamp", iso), ("X-Zendesk-Webhook-Signature", Base64256("zendesk-secret", iso + s.Body)));
        }) { MissingReason = "Missing header X-Zendesk-Webhook-Signature" },
        // Bitbucket: X-Hub-Signature = "sha256=" + hex HMAC-SHA256(secret, body).
        Header(VerificationKind.Bitbucket, "X-Hub-Signature", (k, s) => "sha256=" + Hex256(k, s.Body)),
        // Jira: X-Hub-Signature = "sha256=" + hex HMAC-SHA256(secret, body).
        Header(VerificationKind.Jira, "X-Hub-Signature", (k, s) => "sha256=" + Hex256(k, s.Body)),
        // Webflow: x-webflow-signature = hex HMAC-SHA256(client secret, timestamp in ms + ":" + body).
        new(VerificationKind.Webflow, "webflow-client-secret", "other",
            s => H(("x-webflow-timestamp", s.Milliseconds), ("x-webflow-signature", Hex256("webflow-client-secret", $"{s.Milliseconds}:{s.Body}"))))
            { ChecksTimestamp = true, MissingReason = "Missing header x-webflow-signature" },
        // Vercel: x-vercel-signature = hex HMAC-SHA1(secret, body).
        Header(VerificationKind.Vercel, "x-vercel-signature", (k, s) => Hex1(k, s.Body)),
        // ClickUp: X-Signature = hex HMAC-SHA256(secret, body).
        Header(VerificationKind.ClickUp, "X-Signature", (k, s) => Hex256(k, s.Body)),
        // DocuSign: X-DocuSign-Signature-1 = base64 HMAC-SHA256(HMAC key, body).
        Header(VerificationKind.DocuSign, "X-DocuSign-Signature-1", (k, s) => Base64256(k, s.Body)),
        // QuickBooks: intuit-signature = base64 HMAC-SHA256(verifier token, body).
        Header(VerificationKind.QuickBooks, "intuit-signature", (k, s) => Base64256(k, s.Body)),
        // WooCommerce: X-WC-Webhook-Signature = base64 HMAC-SHA256(secret, body).
        Header(VerificationKind.WooCommerce, "X-WC-Webhook-Signature", (k, s) => Base64256(k, s.Body)),
        // Airtable: X-Airtable-Content-MAC = "hmac-sha256=" + hex HMAC-SHA256(base64-decoded macSecretBase64, body).
        new(VerificationKind.Airtable, Convert.ToBase64String(AirtableKey), Convert.ToBase64String(TeamsKey),
            s => H(("X-Airtable-Content-MAC", "hmac-sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(AirtableKey, Utf8(s.Body))))))
            { MissingReason = "Missing header X-Airtable-Content-MAC" },
        // Microsoft Teams: Authorization = "HMAC " + base64 HMAC-SHA256(base64-decoded security token, body).
        new(VerificationKind.MsTeams, Convert.ToBase64String(TeamsKey), Convert.ToBase64String(AirtableKey),
            s => H(("Authorization", "HMAC " + Convert.ToBase64String(HMACSHA256.HashData(TeamsKey, Utf8(s.Body))))))
            { MissingReason = "Missing header Authorization" },
        // A custom signature: base64 HMAC-SHA512 of "timestamp|url|body" with prefix "sig=".
        new(VerificationKind.CustomHmac, "custom-secret", "other",
            s => H(("X-Ts", s.Seconds), ("X-Sig", "sig=" + Convert.ToBase64String(Mac(HashAlgorithmName.SHA512, Utf8("custom-secret"), $"{s.Seconds}|{s.Url}|{s.Body}")))))
        {
            SignsUrl = true, ChecksTimestamp = true, MissingReason = "Missing header X-Sig",
            Configure = settings => settings with
            {
                HeaderName = "X-Sig",
                Custom = new CustomSignature { Algorithm = HmacAlgorithm.Sha512, Encoding = SignatureEncoding.Base64, Prefix = "sig=", SignedContent = "{timestamp}|{url}|{body}", TimestampHeader = "X-Ts" },
            },
        },
    ];

    public static PresetCase For(VerificationKind kind) => All.Single(c => c.Kind == kind);
}
