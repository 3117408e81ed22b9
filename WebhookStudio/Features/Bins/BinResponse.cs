using System.Text.Json;

namespace WebhookStudio.Features.Bins;

/// <summary>What a bin answers to every request it receives.</summary>
public sealed record BinResponse(int Status, string ContentType, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public const string DefaultContentType = "application/json";
    public const int MaxBodyLength = 64 * 1024;

    public static BinResponse Default { get; } = new(200, DefaultContentType, new Dictionary<string, string>(), """{"ok":true}""");

    /// <summary>Headers the server writes itself, or that would break the connection if a user set them.</summary>
    private static readonly HashSet<string> ReservedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive", "Upgrade", "Trailer", "TE", "Proxy-Connection", "Date", "Server",
    };

    /// <summary>
    /// Headers a bin never answers: the bin URL is on the studio's own origin, so these would act on the studio
    /// itself (its sign-in cookie, its stored data, its security policy, where its pages lead).
    /// </summary>
    private static readonly HashSet<string> OriginWideHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Set-Cookie", "Set-Cookie2", "Clear-Site-Data", "Content-Security-Policy", "Content-Security-Policy-Report-Only",
        "Strict-Transport-Security", "Public-Key-Pins", "Public-Key-Pins-Report-Only", "Location", "Refresh",
        "Permissions-Policy", "Feature-Policy", "Cross-Origin-Opener-Policy", "Cross-Origin-Embedder-Policy",
        "Cross-Origin-Resource-Policy", "Origin-Agent-Cluster", "Service-Worker-Allowed", "Alt-Svc", "Report-To",
        "Reporting-Endpoints", "NEL", "X-Content-Type-Options", "X-Frame-Options", "Access-Control-Allow-Credentials",
    };

    /// <summary>True for a header a bin may answer; the others are refused when configured and never sent.</summary>
    public static bool MayAnswer(string name) => !ReservedHeaders.Contains(name) && !OriginWideHeaders.Contains(name);

    /// <summary>Errors per field (<c>status</c>, <c>contentType</c>, <c>headers</c>, <c>body</c>); empty when valid.</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (Status is < 200 or > 599)
            errors["status"] = ["The status must be between 200 and 599."];
        if (ContentType.Length > 200)
            errors["contentType"] = ["A content type has at most 200 characters."];
        else if (ContentType.Length > 0 && !System.Net.Http.Headers.MediaTypeHeaderValue.TryParse(ContentType, out _))
            errors["contentType"] = [$"'{ContentType}' is not a content type, e.g. application/json or text/plain; charset=utf-8."];
        var headerErrors = new List<string>();
        if (Headers.Count > 50)
            headerErrors.Add("A bin answers at most 50 extra headers.");
        foreach (var (name, value) in Headers)
        {
            if (!IsToken(name))
                headerErrors.Add($"'{name}' is not a valid header name.");
            else if (string.Equals(name, "Content-Type", StringComparison.OrdinalIgnoreCase))
                headerErrors.Add("Set Content-Type in the content type field, not as a header.");
            else if (ReservedHeaders.Contains(name))
                headerErrors.Add($"{name} is set by the server and cannot be configured.");
            else if (OriginWideHeaders.Contains(name))
                headerErrors.Add($"A bin cannot answer {name}: the bin URL shares the studio's address, so it would act on the studio itself (cookies, stored data, security policy or redirects).");
            if (value.Any(c => c is '\r' or '\n' || char.IsControl(c) && c != '\t'))
                headerErrors.Add($"The value of {name} contains a line break or control character.");
        }
        if (headerErrors.Count > 0)
            errors["headers"] = [.. headerErrors];
        if (Body.Length > MaxBodyLength)
            errors["body"] = [$"A response body has at most {MaxBodyLength:N0} characters."];
        else if (Body.Length > 0 && Status is 204 or 304)
            errors["body"] = [$"A {Status} response has no body; clear the body or choose another status."];
        return errors;
    }

    public string HeadersJson() => JsonSerializer.Serialize(Headers);

    public static IReadOnlyDictionary<string, string> HeadersFrom(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];

    /// <summary>The RFC 9110 token characters a header name may use.</summary>
    private static bool IsToken(string name) =>
        name.Length is > 0 and <= 100 && name.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c));
}

/// <summary>Headers as people type them: one <c>Name: value</c> per line.</summary>
public static class HeaderLines
{
    public static string Format(IReadOnlyDictionary<string, string> headers) =>
        string.Join('\n', headers.Select(h => $"{h.Key}: {h.Value}"));

    /// <summary>The headers, or the first line that is not <c>Name: value</c>.</summary>
    public static (Dictionary<string, string> Headers, string? Error) Parse(string? text)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var lines = (text ?? "").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0) continue;
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
                return (headers, $"Line {i + 1} is not 'Name: value'.");
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        return (headers, null);
    }
}
