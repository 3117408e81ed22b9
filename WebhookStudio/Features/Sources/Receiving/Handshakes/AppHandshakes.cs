using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using WebhookStudio.Api;
using WebhookStudio.Features.Sources.Inbound;

namespace WebhookStudio.Features.Sources.Receiving.Handshakes;

/// <summary>Every app's URL check, found by the source's app or, for a custom source, by its verification kind.</summary>
public static class AppHandshakes
{
    public static IReadOnlyList<AppHandshake> All { get; } =
    [
        new SlackUrlVerification(), new ZoomUrlValidation(), new TrelloHead(), new AsanaHookSecret(), new MondayChallenge(),
        new MailchimpGet(), new NotionVerificationToken(), new MetaSubscribe(), new GraphValidationToken(), new DropboxChallenge(),
        new OktaVerificationChallenge(), new DiscordPing(), new XeroIntentToReceive(),
    ];

    private static readonly FrozenDictionary<string, AppHandshake> ByApp = All.ToFrozenDictionary(h => h.App, StringComparer.Ordinal);

    public static AppHandshake? For(string? app, VerificationKind verification) =>
        app is not null && ByApp.TryGetValue(app, out var handshake) ? handshake
        : verification != VerificationKind.None && ByApp.TryGetValue(ApiEnum.Name(verification), out var byKind) ? byKind
        : null;

    /// <summary>"••••" and the last 4 characters, as secrets are shown everywhere.</summary>
    internal static string Masked(string secret) => SourceSecrets.Mask(secret);
}

/// <summary>Slack Events API (api.slack.com/events/url_verification): answer the challenge.</summary>
public sealed class SlackUrlVerification : AppHandshake
{
    public override string App => "slack";
    public override string Name => "Slack";
    public override bool IsSigned => true;

    public override bool Claims(HandshakeRequest request) =>
        request.Method == "POST" && request.JsonText("type") == "url_verification" && request.JsonText("challenge") is not null;

    public override HandshakeAnswer Answer(HandshakeRequest request, VerificationSettings verification) =>
        HandshakeAnswer.Text(request.JsonText("challenge")!);
}

/// <summary>
/// Zoom (developers.zoom.us/docs/api/webhooks/#validate-your-webhook-endpoint): answer the plainToken with its hex
/// HMAC-SHA256 under the app's secret token, which the source must therefore hold.
/// </summary>
public sealed class ZoomUrlValidation : AppHandshake
{
    public override string App => "zoom";
    public override string Name => "Zoom";
    public override bool IsSigned => true;

    public override bool Claims(HandshakeRequest request) =>
        request.Method == "POST" && request.JsonText("event") == "endpoint.url_validation";

    public override HandshakeAnswer Answer(HandshakeRequest request, VerificationSettings verification)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(verification);
        if (request.JsonObject is not { } body || !body.TryGetProperty("payload", out var payload)
            || payload.ValueKind != JsonValueKind.Object || !payload.TryGetProperty("plainToken", out var token) || token.ValueKind != JsonValueKind.String)
            return HandshakeAnswer.Refuse(StatusCodes.Status400BadRequest, "Zoom's validation request has no payload.plainToken.");
        if (string.IsNullOrEmpty(verification.Secret))
            return HandshakeAnswer.Refuse(StatusCodes.Status401Unauthorized,
                "Zoom checks the answer with its Secret Token: save it in this source's verification (kind zoom), then validate again.");
        var plainToken = token.GetString()!;
        var encryptedToken = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(verification.Secret), Encoding.UTF8.GetBytes(plainToken)));
        return HandshakeAnswer.Json(new { plainToken, encryptedToken });
    }
}

/// <summary>Trello (developer.atlassian.com/cloud/trello/guides/rest-api/webhooks): a HEAD to the callback URL must get 200.</summary>
public sealed class TrelloHead : AppHandshake
{
    public override string App => "trello";
    public override string Name => "Trello";
    public override bool Claims(HandshakeRequest request) => request.Method == "HEAD";
    public override HandshakeAnswer Answer(HandshakeRequest request, VerificationSettings verification) => HandshakeAnswer.Empty();
}

/// <summary>
/// Asana (developers.asana.com/docs/webhooks-guide): a POST with X-Hook-Secret, answered with the same header. The
/// secret is kept as the source's secret, so later events are verified by X-Hook-Signature with no step for the user.
/// </summary>
public sealed class AsanaHookSecret : AppHandshake
{
    private const string SecretHeader = "X-Hook-Secret";

    public override string App => "asana";
    public override string Name => "Asana";

    public override bool Claims(HandshakeRequest request) => request.Method == "POST" && request.Header(SecretHeader) is not null;

    public override HandshakeAnswer Answer(HandshakeRequest request, VerificationSettings verification)
    {
        ArgumentNullException.ThrowIfNull(request);
        var secret = request.Header(SecretHeader)!;
        return HandshakeAnswer.Empty(headers: new Dictionary<string, string> { [SecretHeader] = secret }) with
        {
            Keep = new HandedOverSecret(VerificationKind.Asana, secret),
        };
    }

    public override IReadOnlyDictionary<string, string> StoredHeaders(HandshakeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var headers = new Dictionary<string, string>(request.Headers, StringComparer.OrdinalIgnoreCase);
        if (request.Header(SecretHeader) is { } secret)
            headers[SecretHeader] = AppHandshakes.Masked(secret);
        return headers;
    }
}

/// <summary>monday.com (developer.monday.com/api-reference/reference/webhooks): echo <c>{"challenge"}</c> as JSON.</summary>
public sealed class MondayChallenge : AppHandshake
{
    public override string App => "monday";
    public override string Name => "monday.com";

    public override bool Claims(HandshakeRequest request) =>
        request.Method == "POST" && request.JsonText("challenge") is not null && request.JsonObject?.TryGetProperty("event", out _) == false;

    public override HandshakeAnswer Answer(HandshakeRequest request, VerificationSettings verification) =>
        HandshakeAnswer.Json(new { challenge = request.JsonText("challenge") });
}

/// <summary>Mailchimp (mailchimp.com/developer/marketing/guides/sync-audience-data-webhooks): a GET to the URL must get 200.</summary>
public sealed class MailchimpGet : AppHandshake
{
    public override string App => "mailchimp";
    public override string Name => "Mailchimp";
    public override bool Claims(HandshakeRequest request) => request.Method is "GET" or "HEAD";
    public override HandshakeAnswer Answer(HandshakeRequest request, VerificationSettings verification) => HandshakeAnswer.Empty();
}

/// <summary>
/// Notion (developers.notion.com/reference/webhooks): a POST with <c>verification_token</c>, which the user pastes
/// back into Notion; it is also the secret of X-Notion-Signature, so it is kept as the source's secret.
/// </summary>
public sealed class NotionVerificationToken : AppHandshake
{
    private const string TokenField = "verification_token";

    public override string App => "notion";
    public override string Name => "Notion";

    public override bool Claims(HandshakeRequest request) => request.Method == "POST" && request.JsonText(TokenField) is not null;

    public override HandshakeAnswer Answer(HandshakeRequest request, VerificationSettings verification) =>
        HandshakeAnswer.Empty() with { Keep = new HandedOverSecret(VerificationKind.Notion, request.JsonText(TokenField)!) };

    public override byte[] StoredBody(HandshakeRequest request) =>
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { [TokenField] = AppHandshakes.Masked(request.JsonText(TokenField)!) });
}

/// <summary>
/// Meta: WhatsApp, Facebook, Instagram (developers.facebook.com/docs/graph-api/webhooks/getting-started): a GET with
/// hub.mode=subscribe, answered with hub.challenge when hub.verify_token is the source's verify token.
/// </summary>
public sealed class MetaSubscribe : AppHandshake
{
    public override string App => "meta";
    public override string Name => "Meta";

    public override bool Claims(HandshakeRequest request) => request.Method == "GET" && request.QueryValue("hub.mode") is not null;

    public override HandshakeAnswer Answer(HandshakeRequest request, VerificationSettings verification)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(verification);
        if (request.QueryValue("hub.mode") != "subscribe")
            return HandshakeAnswer.Refuse(StatusCodes.Status403Forbidden, "hub.mode must be subscribe.");
        if (string.IsNullOrEmpty(verification.VerifyToken))
            return HandshakeAnswer.Refuse(StatusCodes.Status403Forbidden,
                "This source has no verify token: save the one you typed in Meta's Verify token field in its verification (kind meta), then verify again.");
        if (!Inbound.Schemes.SignatureChecks.SameText(request.QueryValue("hub.verify_token") ?? "", verification.VerifyToken))
            return HandshakeAnswer.Refuse(StatusCodes.Status403Forbidden, "hub.verify_token is not the verify token saved in this source's verification.");
        return HandshakeAnswer.Text(request.QueryValue("hub.challenge") ?? "");
    }
}

/// <summary>
/// Microsoft Graph change notifications (learn.microsoft.com/graph/change-notifications-delivery-webhooks): a request
/// with <c>validationToken</c> in the query, answered 200 text/plain with the decoded token.
/// </summary>
public sealed class GraphValidationToken : AppHandshake
{
    public override string App => "msgraph";
    public override string Name => "Microsoft Graph";
    public override bool Claims(HandshakeRequest request) => request.QueryValue("validationToken") is not null;
    public override HandshakeAnswer Answer(HandshakeRequest request, VerificationSettings verification) =>
        HandshakeAnswer.Text(request.QueryValue("validationToken")!);
}

/// <summary>Dropbox (dropbox.com/developers/reference/webhooks): echo the GET's challenge as text no browser may sniff.</summary>
public sealed class DropboxChallenge : AppHandshake
{
    public override string App => "dropbox";
    public override string Name => "Dropbox";
    public override bool Claims(HandshakeRequest request) => request.Method == "GET" && request.QueryValue("challenge") is not null;
    public override HandshakeAnswer Answer(HandshakeRequest request, VerificationSettings verification) =>
        HandshakeAnswer.Text(request.QueryValue("challenge")!, headers: new Dictionary<string, string> { ["X-Content-Type-Options"] = "nosniff" });
}

/// <summary>Okta event hooks (developer.okta.com/docs/concepts/event-hooks): a GET with X-Okta-Verification-Challenge, answered <c>{"verification"}</c>.</summary>
public sealed class OktaVerificationChallenge : AppHandshake
{
    private const string ChallengeHeader = "X-Okta-Verification-Challenge";

    public override string App => "okta";
    public override string Name => "Okta";
    public override bool Claims(HandshakeRequest request) => request.Method == "GET" && request.Header(ChallengeHeader) is not null;
    public override HandshakeAnswer Answer(HandshakeRequest request, VerificationSettings verification) =>
        HandshakeAnswer.Json(new { verification = request.Header(ChallengeHeader) });
}

/// <summary>
/// Discord webhook events (discord.com/developers/docs/events/webhook-events): a signed PING (<c>"type": 0</c>),
/// answered 204 with no body once its Ed25519 signature checks out; events are acknowledged the same way.
/// </summary>
public sealed class DiscordPing : AppHandshake
{
    public override string App => "discord";
    public override string Name => "Discord";
    public override bool IsSigned => true;
    public override int? EventAnswerStatus => StatusCodes.Status204NoContent;

    public override bool Claims(HandshakeRequest request) =>
        request.Method == "POST" && request.JsonObject is { } body && body.TryGetProperty("type", out var type)
        && type.ValueKind == JsonValueKind.Number && type.TryGetInt32(out var value) && value == 0;

    public override HandshakeAnswer Answer(HandshakeRequest request, VerificationSettings verification) =>
        verification?.Kind is null or VerificationKind.None
            ? HandshakeAnswer.Refuse(StatusCodes.Status401Unauthorized,
                "Discord checks that unsigned requests are refused: save the application's Public Key in this source's verification (kind discord), then save the URL in Discord again.")
            : HandshakeAnswer.Empty(StatusCodes.Status204NoContent);
}

/// <summary>
/// Xero's intent to receive (developer.xero.com/documentation/guides/webhooks/configuring-your-server): a signed POST
/// with no events, answered exactly 200 with no body when x-xero-signature is right and 401 when not; events too.
/// </summary>
public sealed class XeroIntentToReceive : AppHandshake
{
    public override string App => "xero";
    public override string Name => "Xero";
    public override bool IsSigned => true;
    public override int? EventAnswerStatus => StatusCodes.Status200OK;

    public override bool Claims(HandshakeRequest request) =>
        request.Method == "POST" && request.JsonObject is { } body && body.TryGetProperty("events", out var events)
        && events.ValueKind == JsonValueKind.Array && events.GetArrayLength() == 0;

    public override HandshakeAnswer Answer(HandshakeRequest request, VerificationSettings verification) =>
        verification?.Kind is null or VerificationKind.None
            ? HandshakeAnswer.Refuse(StatusCodes.Status401Unauthorized,
                "Xero checks that wrongly signed requests are refused: save the webhook key Xero shows in this source's verification (kind xero), then send the intent to receive again.")
            : HandshakeAnswer.Empty();
}
