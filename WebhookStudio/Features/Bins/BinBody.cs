using System.Text;
using WebhookStudio.Features.Sources;
using WebhookStudio.Features.Sources.Inbound;

namespace WebhookStudio.Features.Bins;

/// <summary>How a captured request is shown: its body as text when it is text, its headers with secrets masked.</summary>
public static class BinBody
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The body as UTF-8 text, or null when it is binary. A body cut at the size cap may end inside a character.</summary>
    public static string? Text(byte[] body, bool truncated)
    {
        for (var trim = 0; trim <= (truncated ? 3 : 0) && trim <= body.Length; trim++)
        {
            try { return Strict.GetString(body, 0, body.Length - trim); }
            catch (DecoderFallbackException) { }
        }
        return null;
    }

    public static bool IsJson(string? contentType, string text) =>
        contentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true || text.TrimStart() is ['{', ..] or ['[', ..];

    /// <summary>What a person reads: pretty JSON when it is JSON, the text as it is, or base64 for bytes.</summary>
    public static (string Text, string Language) ForDisplay(BinRequest request)
    {
        if (Text(request.Body, request.Truncated) is not { } text)
            return (Convert.ToBase64String(request.Body), "plaintext");
        if (!request.Truncated && IsJson(request.ContentType, text))
        {
            var pretty = PayloadFormat.Pretty(text);
            if (!ReferenceEquals(pretty, text)) return (pretty, "json");
        }
        return (text, request.ContentType?.Contains("xml", StringComparison.OrdinalIgnoreCase) == true ? "xml" : "plaintext");
    }

    public static Dictionary<string, string> MaskedHeaders(BinRequest request) =>
        BinResponse.HeadersFrom(request.Headers).ToDictionary(
            h => h.Key, h => SensitiveHeaders.IsSensitive(h.Key) ? SensitiveHeaders.Mask(h.Value) : h.Value, StringComparer.OrdinalIgnoreCase);
}
