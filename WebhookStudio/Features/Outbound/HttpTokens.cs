namespace WebhookStudio.Features.Outbound;

/// <summary>RFC 9110 rules for header names, shared by connectors and subscriptions.</summary>
public static class HttpTokens
{
    private const string TokenSymbols = "!#$%&'*+-.^_`|~";

    public static bool IsToken(string? name) =>
        !string.IsNullOrEmpty(name) && name.All(c => c < 128 && (char.IsAsciiLetterOrDigit(c) || TokenSymbols.Contains(c, StringComparison.Ordinal)));

    /// <summary>Header values may not break the line (that would let a value add headers of its own).</summary>
    public static bool IsSafeValue(string value) => !value.Contains('\r', StringComparison.Ordinal) && !value.Contains('\n', StringComparison.Ordinal);

    /// <summary>Headers the studio sets itself; a subscription may not override them.</summary>
    public static readonly IReadOnlySet<string> Reserved = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Length", "Transfer-Encoding", "Connection", "Upgrade", "Expect", "TE", "Trailer", "Keep-Alive",
        WebhookSignature.IdHeader, WebhookSignature.TimestampHeader, WebhookSignature.SignatureHeader,
    };
}
