using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace WebhookStudio.Features.Sources.Inbound.Schemes;

/// <summary>What the receiver answers, instead of storing the payload, to an app checking the URL.</summary>
/// <param name="Headers">Response headers the app expects back, e.g. Asana's X-Hook-Secret.</param>
public sealed record HandshakeReply(string ContentType, string Body, IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>
/// An app's signed check of a new (or, for Zoom, every 72 hours the same) URL, which expects an answer computed from
/// its request rather than a stored payload. Asked only once the request's signature has passed.
/// </summary>
public interface IHandshake
{
    HandshakeReply? Answer(VerificationSettings settings, SignedRequest request);
}

/// <summary>Slack's Events API <c>url_verification</c>: answer the challenge (api.slack.com/events/url_verification).</summary>
public sealed class SlackUrlVerification : IHandshake
{
    public HandshakeReply? Answer(VerificationSettings settings, SignedRequest request) =>
        HandshakeJson.Read(request) is { } body && HandshakeJson.Text(body, "type") == "url_verification" && HandshakeJson.Text(body, "challenge") is { } challenge
            ? new HandshakeReply("text/plain", challenge)
            : null;
}

/// <summary>
/// Zoom's <c>endpoint.url_validation</c>: answer the plainToken with its hex HMAC-SHA256 under the secret token
/// (developers.zoom.us/docs/api/webhooks/#validate-your-webhook-endpoint).
/// </summary>
public sealed class ZoomUrlValidation : IHandshake
{
    public HandshakeReply? Answer(VerificationSettings settings, SignedRequest request)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (HandshakeJson.Read(request) is not { } body || HandshakeJson.Text(body, "event") != "endpoint.url_validation"
            || !body.TryGetProperty("payload", out var payload) || HandshakeJson.Text(payload, "plainToken") is not { } plainToken)
            return null;
        var encrypted = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(settings.Secret), Encoding.UTF8.GetBytes(plainToken)));
        return new HandshakeReply("application/json", JsonSerializer.Serialize(new { plainToken, encryptedToken = encrypted }));
    }
}

/// <summary>Discord's PING interaction (type 1): answer with a PONG, <c>{"type":1}</c> (discord.com/developers/docs/interactions/receiving-and-responding).</summary>
public sealed class DiscordPing : IHandshake
{
    public HandshakeReply? Answer(VerificationSettings settings, SignedRequest request) =>
        HandshakeJson.Read(request) is { } body && body.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.Number && type.GetInt32() == 1
            ? new HandshakeReply("application/json", """{"type":1}""")
            : null;
}

/// <summary>
/// Asana's handshake (developers.asana.com/docs/webhooks-guide): an unsigned POST carrying X-Hook-Secret, answered
/// with the same header. That secret then keys every event's X-Hook-Signature.
/// </summary>
public static class AsanaHandshake
{
    public const string SecretHeader = "X-Hook-Secret";
    public const string SignatureHeader = "X-Hook-Signature";

    /// <summary>The secret of a handshake request; null for an event.</summary>
    public static string? SecretOf(IReadOnlyDictionary<string, string> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var request = SignedRequest.Of(headers, []);
        return request.Header(SignatureHeader) is null ? request.Header(SecretHeader) : null;
    }

    public static HandshakeReply Reply(string secret) =>
        new("text/plain", "", new Dictionary<string, string> { [SecretHeader] = secret });
}

internal static class HandshakeJson
{
    // A check is a small JSON object; anything larger is an ordinary payload and is not parsed here.
    private const int MaxLength = 4096;

    public static JsonElement? Read(SignedRequest request)
    {
        if (request.Body.Length is 0 or > MaxLength || request.IsForm)
            return null;
        try
        {
            using var document = JsonDocument.Parse(request.Body);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
