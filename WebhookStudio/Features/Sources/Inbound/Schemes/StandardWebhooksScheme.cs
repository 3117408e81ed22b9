using System.Text;

namespace WebhookStudio.Features.Sources.Inbound.Schemes;

/// <summary>
/// standardwebhooks.com: base64 HMAC-SHA256 of "id.timestamp.body" keyed with the base64 part of <c>whsec_…</c>, in
/// <c>webhook-*</c> headers, or <c>svix-*</c> from apps that send through Svix (Clerk, Resend).
/// </summary>
public sealed record StandardWebhooksScheme : IVerificationScheme
{
    public const string SecretPrefix = "whsec_";

    /// <summary>The spelling the app sends ("svix-" for Clerk and Resend), named when a request has neither.</summary>
    public string HeaderPrefix { get; init; } = "webhook-";

    public VerificationResult Verify(VerificationSettings settings, SignedRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(request);
        // The spelling of the signature header decides; a request never mixes the two.
        var prefix = request.Header("webhook-signature") is not null ? "webhook-"
            : request.Header("svix-signature") is not null ? "svix-"
            : HeaderPrefix;
        string idHeader = prefix + "id", timestampHeader = prefix + "timestamp", signatureHeader = prefix + "signature";
        if (request.Header(idHeader) is not { } id)
            return SignatureChecks.Missing(idHeader);
        if (request.Header(timestampHeader) is not { } timestamp)
            return SignatureChecks.Missing(timestampHeader);
        if (request.Header(signatureHeader) is not { } signatures)
            return SignatureChecks.Missing(signatureHeader);
        if (SignatureChecks.TimestampProblem(timestampHeader, timestamp, TimestampFormat.UnixSeconds, settings.Tolerance, now) is { } problem)
            return VerificationResult.Fail(problem);

        if (KeyOf(settings.Secret) is not { } key)
            return VerificationResult.Fail($"The secret is not valid: the part after {SecretPrefix} must be base64");

        // Several signatures let a sender rotate its secret; other versions (v1a is asymmetric) are skipped.
        var candidates = signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(entry => entry.StartsWith("v1,", StringComparison.Ordinal))
            .Select(entry => entry[3..])
            .ToList();
        if (candidates.Count == 0)
            return VerificationResult.Fail($"Header {signatureHeader} has no v1 signature");

        return SignatureChecks.AnyMatches(SignatureChecks.Hmac(HmacAlgorithm.Sha256, key, $"{id}.{timestamp}.", request.Body.Span), candidates, SignatureEncoding.Base64,
            signatureHeader, $"The signature in {signatureHeader} does not match the id, timestamp and body signed with this secret");
    }

    public string? SecretProblem(string secret) =>
        KeyOf(secret) is null ? $"The part after {SecretPrefix} must be base64: paste the signing secret whole, as the app shows it." : null;

    private static byte[]? KeyOf(string secret)
    {
        if (!secret.StartsWith(SecretPrefix, StringComparison.Ordinal))
            return Encoding.UTF8.GetBytes(secret);
        try { return Convert.FromBase64String(secret[SecretPrefix.Length..]); }
        catch (FormatException) { return null; }
    }
}
