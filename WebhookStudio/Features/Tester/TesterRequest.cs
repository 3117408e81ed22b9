using System.Text.Json;
using WebhookStudio.Features.Outbound;
using WebhookStudio.Infrastructure;

namespace WebhookStudio.Features.Tester;

/// <summary>
/// A request as the tester composes it. The query string is part of <see cref="Url"/> (the form's rows are
/// kept in sync with it). Credentials come from <see cref="ConnectorId"/> and the Standard Webhooks signature of
/// <see cref="SignAsSubscriptionId"/>, applied when sending, so neither is ever held in the request itself.
/// </summary>
public sealed class TesterRequest
{
    public string Method { get; set; } = "GET";
    public string Url { get; set; } = "";
    public List<HeaderLine> Headers { get; set; } = [];
    public string? Body { get; set; }
    public string? ContentType { get; set; }
    public int? ConnectorId { get; set; }
    public int? SignAsSubscriptionId { get; set; }

    public TesterRequest Copy() => new()
    {
        Method = Method, Url = Url, Headers = [.. Headers], Body = Body, ContentType = ContentType,
        ConnectorId = ConnectorId, SignAsSubscriptionId = SignAsSubscriptionId,
    };

    public static readonly IReadOnlyList<string> Methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

    /// <summary>GET and HEAD carry no body; the form hides it and the sender drops it.</summary>
    public static bool HasBody(string method) => method is not ("GET" or "HEAD");
}

/// <summary>What came back, or why nothing did; the request as sent, with every secret masked.</summary>
public sealed record TesterResult(
    long? HistoryId, bool Succeeded, FailureKind Failure, string? Error, int? Status, string? ReasonPhrase, int DurationMs,
    IReadOnlyList<HeaderLine> Headers, string? Body, bool Truncated, RequestSummary Request, bool ViaStudio)
{
    /// <summary>The body indented when it is JSON, as it came otherwise.</summary>
    public string? PrettyBody => TesterText.Pretty(Body);

    public bool IsJson => TesterText.IsJson(Body);
}

/// <summary>A line of the user's history.</summary>
public sealed record HistoryView(long Id, DateTime At, string Method, string Url, int? Status, int DurationMs, string? Error, TesterRequest Request);

public static class TesterText
{

    public static bool IsJson(string? text)
    {
        var trimmed = text?.TrimStart();
        if (string.IsNullOrEmpty(trimmed) || trimmed[0] is not ('{' or '['))
            return false;
        try
        {
            using var _ = JsonDocument.Parse(text!);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public static string? Pretty(string? text)
    {
        if (!IsJson(text))
            return text;
        using var document = JsonDocument.Parse(text!);
        return JsonSerializer.Serialize(document.RootElement, StudioJson.Indented);
    }

    /// <summary>Monaco's language for a content type.</summary>
    public static string LanguageOf(string? contentType, string? body = null)
    {
        var type = contentType?.ToLowerInvariant() ?? "";
        if (type.Contains("json", StringComparison.Ordinal)) return "json";
        if (type.Contains("xml", StringComparison.Ordinal)) return "xml";
        if (type.Contains("html", StringComparison.Ordinal)) return "html";
        if (type.Length == 0 && IsJson(body)) return "json";
        return "plaintext";
    }
}
