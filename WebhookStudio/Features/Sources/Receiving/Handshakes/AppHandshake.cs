using System.Text.Json;
using WebhookStudio.Features.Sources.Inbound;

namespace WebhookStudio.Features.Sources.Receiving.Handshakes;

/// <summary>A request to a receiver URL as a handshake sees it: the parts apps use to check a URL.</summary>
/// <param name="Query">The query string's parameters (the first value of each).</param>
public sealed record HandshakeRequest(
    string Method, IReadOnlyDictionary<string, string> Query, IReadOnlyDictionary<string, string> Headers, byte[] Body, string? ContentType)
{
    private JsonElement? json;
    private bool jsonRead;

    public string? QueryValue(string name) => Query.TryGetValue(name, out var value) ? value : null;

    public string? Header(string name) => Headers.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    /// <summary>The body as a JSON object when it is a small one; a URL check is never large, so a large body is an event.</summary>
    public JsonElement? JsonObject
    {
        get
        {
            if (jsonRead)
                return json;
            jsonRead = true;
            if (Body.Length is > 0 and <= 8192)
            {
                try
                {
                    using var document = JsonDocument.Parse(Body);
                    json = document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
                }
                catch (JsonException)
                {
                    json = null;
                }
            }
            return json;
        }
    }

    public string? JsonText(string name) =>
        JsonObject is { } body && body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>A secret an app hands over in its handshake, kept as the source's verification secret.</summary>
public sealed record HandedOverSecret(VerificationKind Kind, string Secret);

/// <summary>
/// The answer to an app's check of the URL: exactly the status, content type, body and headers its documentation
/// asks for, or a refusal (<see cref="Refusal"/>) the app sees as a ProblemDetails.
/// </summary>
/// <param name="Keep">A secret the app handed over, to verify its later events with.</param>
public sealed record HandshakeAnswer(
    int Status, string? ContentType, string Body, IReadOnlyDictionary<string, string> Headers, string? Refusal = null, HandedOverSecret? Keep = null)
{
    private static readonly IReadOnlyDictionary<string, string> NoHeaders = new Dictionary<string, string>();

    public bool IsRefusal => Refusal is not null;

    public static HandshakeAnswer Text(string body, string contentType = "text/plain", IReadOnlyDictionary<string, string>? headers = null) =>
        new(StatusCodes.Status200OK, contentType, body, headers ?? NoHeaders);

    public static HandshakeAnswer Json(object body) => new(StatusCodes.Status200OK, "application/json", JsonSerializer.Serialize(body), NoHeaders);

    /// <summary>No body; a 200 still names text/plain, as the receiver's documented answers do.</summary>
    public static HandshakeAnswer Empty(int status = StatusCodes.Status200OK, IReadOnlyDictionary<string, string>? headers = null) =>
        new(status, status == StatusCodes.Status204NoContent ? null : "text/plain", "", headers ?? NoHeaders);

    public static HandshakeAnswer Refuse(int status, string reason) => new(status, null, "", NoHeaders, reason);
}

/// <summary>
/// How one app checks a new receiver URL before it sends events, answered as its documentation says, for a source
/// of that app in any state (awaiting its first payload, unmapped, live stream off). The check is recorded as a
/// payload with the outcome <see cref="PayloadOutcome.Handshake"/>: listed, never an item, never a delivery.
/// </summary>
public abstract class AppHandshake
{
    /// <summary>The catalog key of the app, also the name of its verification kind.</summary>
    public abstract string App { get; }

    /// <summary>The app's name, as the connect step says "Slack verified this URL".</summary>
    public abstract string Name { get; }

    /// <summary>The app signs its check like its events: the source's verification, when set, runs first.</summary>
    public virtual bool IsSigned => false;

    /// <summary>The status the app expects for an accepted event, with no body (Xero, Discord); null for the usual 202.</summary>
    public virtual int? EventAnswerStatus => null;

    /// <summary>Whether the request is this app's check of the URL rather than an event.</summary>
    public abstract bool Claims(HandshakeRequest request);

    public abstract HandshakeAnswer Answer(HandshakeRequest request, VerificationSettings verification);

    /// <summary>The request's headers as stored: a secret the app hands over keeps only its last characters.</summary>
    public virtual IReadOnlyDictionary<string, string> StoredHeaders(HandshakeRequest request) => request.Headers;

    /// <summary>The body as stored; a secret inside it keeps only its last characters.</summary>
    public virtual byte[] StoredBody(HandshakeRequest request) => request.Body;
}
