using System.Text;
using WebhookStudio.Features.Sources.Inbound;

namespace WebhookStudio.Features.Outbound;

public sealed record HeaderLine(string Name, string Value);

/// <summary>
/// A request ready to go: what the sender puts on the wire, plus the secret values it carries (connector
/// credentials, signatures) so every copy shown or stored can be masked.
/// </summary>
public sealed record OutboundRequest(HttpMethod Method, Uri Url, IReadOnlyList<HeaderLine> Headers, byte[]? Body, string? ContentType)
{
    /// <summary>Values that must never be shown or stored in clear, wherever they appear.</summary>
    public IReadOnlyCollection<string> Secrets { get; init; } = [];

    public RequestSummary Summarize(int maxBodyChars = 64 * 1024) => RequestSummary.Of(this, maxBodyChars);
}

/// <summary>A request as people may see it: method, URL, headers and body with every secret masked.</summary>
public sealed record RequestSummary(string Method, string Url, IReadOnlyList<HeaderLine> Headers, string? Body, string? ContentType)
{
    public static RequestSummary Of(OutboundRequest request, int maxBodyChars = 64 * 1024)
    {
        ArgumentNullException.ThrowIfNull(request);
        var secrets = request.Secrets.Where(s => s.Length > 0).OrderByDescending(s => s.Length).ToList();
        var headers = request.Headers.Select(h => new HeaderLine(h.Name,
            SensitiveHeaders.IsSensitive(h.Name) || secrets.Any(s => h.Value.Contains(s, StringComparison.Ordinal))
                ? SensitiveHeaders.Mask(h.Value) : h.Value)).ToList();
        var body = request.Body is null ? null : Encoding.UTF8.GetString(request.Body);
        if (body is { } text && text.Length > maxBodyChars)
            body = text[..maxBodyChars];
        return new RequestSummary(request.Method.Method, Hide(request.Url.OriginalString, secrets, escaped: true), headers,
            body is null ? null : Hide(body, secrets, escaped: true), request.ContentType);
    }

    private static string Hide(string text, List<string> secrets, bool escaped)
    {
        foreach (var secret in secrets)
        {
            text = text.Replace(secret, SensitiveHeaders.MaskPrefix, StringComparison.Ordinal);
            if (escaped)
                text = text.Replace(Uri.EscapeDataString(secret), SensitiveHeaders.MaskPrefix, StringComparison.Ordinal);
        }
        return text;
    }
}

/// <summary>Why a request did not succeed, in categories a business user understands.</summary>
public enum FailureKind
{
    None,
    InvalidRequest,
    DnsNotFound,
    ConnectionRefused,
    Tls,
    Timeout,
    BlockedAddress,
    Network,
    Redirect,
    ClientError,
    ServerError,
    UnexpectedStatus,
}

public sealed record ReceivedResponse(int StatusCode, string? ReasonPhrase, IReadOnlyList<HeaderLine> Headers, string Body, bool Truncated)
{
    public string? Header(string name) => Headers.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase))?.Value;
}

/// <summary>What happened to one request: the masked request, the answer (when there was one) and the verdict.</summary>
public sealed record SendResult(DateTime At, RequestSummary Request, ReceivedResponse? Response, TimeSpan Duration, FailureKind Failure, string? Error)
{
    public bool Succeeded => Failure == FailureKind.None;
}
