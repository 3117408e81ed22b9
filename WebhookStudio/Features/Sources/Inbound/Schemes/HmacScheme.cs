namespace WebhookStudio.Features.Sources.Inbound.Schemes;

/// <summary>
/// "An HMAC of some content, in header Y": most apps. The content is a <see cref="SignedContentTemplate"/>; the
/// signature may carry a prefix (<c>sha256=</c>), be hex or base64, and sit in a list or in numbered headers.
/// </summary>
public sealed record HmacScheme : IVerificationScheme
{
    public required string Header { get; init; }
    public HmacAlgorithm Algorithm { get; init; } = HmacAlgorithm.Sha256;
    public SignatureEncoding Encoding { get; init; } = SignatureEncoding.Hex;

    /// <summary>Text before the signature, compared without regard to case (<c>sha256=</c>, <c>v0=</c>, <c>HMAC </c>).</summary>
    public string Prefix { get; init; } = "";

    public SignedContentTemplate SignedContent { get; init; } = SignedContentTemplate.Of(SignedContentTemplate.BodyOnly);

    /// <summary>The header with the signed timestamp, when the content has one.</summary>
    public string? TimestampHeader { get; init; }

    public TimestampFormat TimestampFormat { get; init; } = TimestampFormat.UnixSeconds;

    /// <summary>Whether a timestamp older (or newer) than the source's tolerance is refused, as the app documents.</summary>
    public bool ChecksTimestampAge { get; init; }

    public KeyFormat Key { get; init; } = KeyFormat.Utf8;

    /// <summary>Set when the header may hold several signatures (during a secret rotation), e.g. ',' for PagerDuty.</summary>
    public char? ListSeparator { get; init; }

    /// <summary>Also reads <c>Header-1</c>, <c>Header-2</c>… (DocuSign sends one per active key as X-DocuSign-Signature-n).</summary>
    public bool NumberedHeaders { get; init; }

    /// <summary>Words for the mismatch reason: what the app signs, e.g. "the timestamp and the body".</summary>
    public string SignedWhat { get; init; } = "the body";

    public VerificationResult Verify(VerificationSettings settings, SignedRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(request);
        var values = SignatureValues(request);
        if (values.Count == 0)
            return SignatureChecks.Missing(NumberedHeaders ? Header + "-1" : Header);

        string? timestamp = null;
        if (TimestampHeader is not null)
        {
            timestamp = request.Header(TimestampHeader);
            if (timestamp is null)
                return SignatureChecks.Missing(TimestampHeader);
            if (ChecksTimestampAge && SignatureChecks.TimestampProblem(TimestampHeader, timestamp, TimestampFormat, settings.Tolerance, now) is { } problem)
                return VerificationResult.Fail(problem);
        }

        var candidates = new List<string>();
        foreach (var value in values)
        {
            var entries = ListSeparator is { } separator ? value.Split(separator, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : [value.Trim()];
            candidates.AddRange(entries.Where(e => e.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)).Select(e => e[Prefix.Length..]));
        }
        if (candidates.Count == 0)
            return VerificationResult.Fail($"Header {Header} must start with {Prefix.Trim()}");

        if (KeyOf(settings.Secret) is not { } key)
            return VerificationResult.Fail("The secret is not valid base64; paste it exactly as the app shows it");
        using var hmac = System.Security.Cryptography.IncrementalHash.CreateHMAC(SignatureChecks.Name(Algorithm), key);
        if (SignedContent.AppendTo(hmac, request, timestamp) is { } missingHeader)
            return SignatureChecks.Missing(missingHeader);
        var expected = hmac.GetHashAndReset();
        return SignatureChecks.AnyMatches(expected, candidates, Encoding, Header,
            $"The signature in {Header} does not match {SignedWhat} signed with this secret");
    }

    public string? SecretProblem(string secret) =>
        KeyOf(secret) is null ? "This secret is base64 as the app shows it; paste it whole, without spaces." : null;

    private byte[]? KeyOf(string secret)
    {
        if (Key == KeyFormat.Utf8)
            return System.Text.Encoding.UTF8.GetBytes(secret);
        try { return Convert.FromBase64String(secret.Trim()); }
        catch (FormatException) { return null; }
    }

    private List<string> SignatureValues(SignedRequest request)
    {
        var values = new List<string>();
        if (request.Header(Header) is { } single)
            values.Add(single);
        if (NumberedHeaders)
        {
            for (var n = 1; request.Header($"{Header}-{n}") is { } numbered; n++)
                values.Add(numbered);
        }
        return values;
    }
}
