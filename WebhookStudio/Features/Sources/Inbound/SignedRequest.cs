using System.Net;

namespace WebhookStudio.Features.Sources.Inbound;

/// <summary>
/// What a signature can cover: the method, the public URL the sender called (with its query), the headers, the raw
/// body and, for a form body, its fields. Some apps (Twilio, Square, Trello, HubSpot) sign the URL as well as the body.
/// </summary>
public sealed class SignedRequest
{
    private readonly Lazy<IReadOnlyList<KeyValuePair<string, string>>> formFields;

    /// <param name="headers">Request headers; looked up case-insensitively.</param>
    /// <param name="body">The raw body exactly as received: signatures cover bytes, not parsed JSON.</param>
    public SignedRequest(string method, string url, IReadOnlyDictionary<string, string> headers, ReadOnlyMemory<byte> body, string? contentType)
    {
        ArgumentNullException.ThrowIfNull(headers);
        Method = method;
        Url = url;
        Headers = headers;
        Body = body;
        ContentType = contentType;
        formFields = new Lazy<IReadOnlyList<KeyValuePair<string, string>>>(ReadFormFields);
    }

    public string Method { get; }

    /// <summary>The receiver URL as the sender knows it (see <c>App:PublicBaseUrl</c>), query included.</summary>
    public string Url { get; }

    public IReadOnlyDictionary<string, string> Headers { get; }
    public ReadOnlyMemory<byte> Body { get; }
    public string? ContentType { get; }

    public bool IsForm => ContentType?.Split(';')[0].Trim().Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>A form body's fields, decoded, in the order sent; empty for any other body.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> FormFields => formFields.Value;

    /// <summary>A request with only headers and a body, as most signatures need.</summary>
    public static SignedRequest Of(IReadOnlyDictionary<string, string> headers, ReadOnlySpan<byte> body, string? contentType = null) =>
        new("POST", "", headers, body.ToArray(), contentType);

    public string? Header(string name)
    {
        if (Headers.TryGetValue(name, out var value))
            return string.IsNullOrWhiteSpace(value) ? null : value;
        // Callers promise case-insensitive keys; the scan keeps an ordinary dictionary working as well.
        value = Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }

    private IReadOnlyList<KeyValuePair<string, string>> ReadFormFields()
    {
        if (!IsForm)
            return [];
        var text = System.Text.Encoding.UTF8.GetString(Body.Span);
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var pair in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            fields.Add(new(WebUtility.UrlDecode(equals < 0 ? pair : pair[..equals]), WebUtility.UrlDecode(equals < 0 ? "" : pair[(equals + 1)..])));
        }
        return fields;
    }
}
