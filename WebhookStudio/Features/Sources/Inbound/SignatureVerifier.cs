namespace WebhookStudio.Features.Sources.Inbound;

/// <summary>Checks a received request against a source's <see cref="VerificationSettings"/>, with the kind's scheme.</summary>
public static class SignatureVerifier
{
    public static VerificationResult Verify(VerificationSettings settings, SignedRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(request);
        if (settings.Kind == VerificationKind.None)
            return VerificationResult.Ok;

        // An empty key is a key everybody knows.
        if (string.IsNullOrEmpty(settings.Secret))
            return VerificationResult.Fail("No secret is configured for verification");

        var (scheme, problem) = VerificationPresets.SchemeFor(settings);
        return scheme is null ? VerificationResult.Fail(problem!) : scheme.Verify(settings, request, now);
    }

    /// <summary>For signatures over headers and body alone: the URL is empty and the method POST.</summary>
    public static VerificationResult Verify(
        VerificationSettings settings, IReadOnlyDictionary<string, string> headers, ReadOnlySpan<byte> body, DateTimeOffset now) =>
        Verify(settings, SignedRequest.Of(headers, body), now);
}
