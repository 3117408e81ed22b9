using System.Text;
using Microsoft.Net.Http.Headers;
using WebhookStudio.Features.Sources.Inbound;

namespace WebhookStudio.Features.Sources.Pipeline;

public enum BodyKind { Json, Form, Unsupported }

/// <summary>
/// The one place that knows which bodies the studio accepts and how each becomes the JSON the mapping works on
/// (form posts become nested objects). The receiver, the processor, preview and erase all read through it.
/// </summary>
public static class PayloadDocument
{
    public const string AcceptedTypes = "application/json (or application/*+json) or application/x-www-form-urlencoded";

    public static BodyKind KindOf(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media) || media.MediaType.Value is not { } type)
            return BodyKind.Unsupported;
        if (type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (type.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && type.EndsWith("+json", StringComparison.OrdinalIgnoreCase)))
            return BodyKind.Json;
        return type.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) ? BodyKind.Form : BodyKind.Unsupported;
    }

    /// <summary>
    /// Null when the body can be read, else why not, as <see cref="Read"/> would say: plain JSON is checked without
    /// building the document (the receiver stores bodies; the processor reads them).
    /// </summary>
    public static JsonParseResult? Check(string? contentType, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        // A form body always reads; plain JSON is known good without a document; only the rest is parsed, for the reason.
        if (KindOf(contentType) == BodyKind.Form || JsonBody.IsPlainlyAcceptable(body))
            return null;
        var read = JsonBody.Parse(body);
        return read.IsSuccess ? null : read;
    }

    /// <summary>The document, or why it cannot be read (a form body always can).</summary>
    public static JsonParseResult Read(string? contentType, byte[] body) =>
        KindOf(contentType) == BodyKind.Form
            ? JsonParseResult.Success(FormBodyParser.Parse(Encoding.UTF8.GetString(body)))
            : JsonBody.Parse(body);
}
