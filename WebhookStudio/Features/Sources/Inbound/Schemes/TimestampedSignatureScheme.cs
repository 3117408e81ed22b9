using System.Text;

namespace WebhookStudio.Features.Sources.Inbound.Schemes;

/// <summary>
/// One header holding a timestamp and one or more signatures, as Stripe's <c>t=…,v1=…</c>, Calendly's (the same)
/// and Paddle's <c>ts=…;h1=…</c>: a hex HMAC-SHA256 of the timestamp, a separator and the raw body.
/// </summary>
public sealed record TimestampedSignatureScheme : IVerificationScheme
{
    public required string Header { get; init; }
    public char PairSeparator { get; init; } = ',';
    public string TimestampKey { get; init; } = "t";
    public string SignatureKey { get; init; } = "v1";

    /// <summary>Between the timestamp and the body in the signed content: "." for Stripe, ":" for Paddle.</summary>
    public string ContentSeparator { get; init; } = ".";

    public VerificationResult Verify(VerificationSettings settings, SignedRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(request);
        if (request.Header(Header) is not { } value)
            return SignatureChecks.Missing(Header);

        string? timestamp = null;
        var candidates = new List<string>();
        foreach (var part in value.Split(PairSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (part.StartsWith(TimestampKey + "=", StringComparison.Ordinal))
                timestamp = part[(TimestampKey.Length + 1)..];
            else if (part.StartsWith(SignatureKey + "=", StringComparison.Ordinal))
                candidates.Add(part[(SignatureKey.Length + 1)..]);
        }

        if (timestamp is null)
            return VerificationResult.Fail($"Header {Header} has no timestamp ({TimestampKey}=)");
        if (candidates.Count == 0)
            return VerificationResult.Fail($"Header {Header} has no {SignatureKey} signature");
        if (SignatureChecks.TimestampProblem(Header, timestamp, TimestampFormat.UnixSeconds, settings.Tolerance, now) is { } problem)
            return VerificationResult.Fail(problem);

        // The whole secret string is the key, "whsec_" and "pdl_ntfset_" prefixes included.
        var expected = SignatureChecks.Hmac(HmacAlgorithm.Sha256, Encoding.UTF8.GetBytes(settings.Secret), timestamp + ContentSeparator, request.Body.Span);
        return SignatureChecks.AnyMatches(expected, candidates, SignatureEncoding.Hex, Header,
            $"The signature in {Header} does not match the timestamp and the body signed with this secret");
    }
}
