using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WebhookStudio.Data;
using WebhookStudio.Features.Sources.Inbound;
using WebhookStudio.Features.Sources.Receiving;

namespace WebhookStudio.Features.Sources.Settings;

/// <summary>Whether a stored payload passes a verification, and, when it does not, which part differs.</summary>
/// <param name="Difference">For a custom signature that does not match: the one change that would make it match, or that none does.</param>
public sealed record VerificationVerdict(bool Valid, string? Reason, string? Difference);

/// <summary>
/// "Check against payload #n": runs a (possibly unsaved) verification over a stored payload as the receiver would
/// have when it arrived: its headers and body, the source's public receiver URL, and its arrival time as "now".
/// </summary>
public sealed class VerificationCheck(IDbContextFactory<StudioDbContext> contexts, SourceSecrets secrets, ReceiverUrls urls)
{
    /// <param name="draft">The settings to try; null takes the saved ones. An empty secret takes the saved secret.</param>
    /// <returns>Null when the source or the payload does not exist.</returns>
    public async Task<VerificationVerdict?> CheckAsync(int sourceId, long payloadId, VerificationSettings? draft, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var source = await db.Sources.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sourceId && s.DeletedAt == null, cancellationToken);
        var payload = await db.Payloads.AsNoTracking().FirstOrDefaultAsync(p => p.Id == payloadId && p.SourceId == sourceId, cancellationToken);
        if (source is null || payload is null)
            return null;

        var saved = secrets.VerificationOf(source);
        var settings = draft is null ? saved : string.IsNullOrEmpty(draft.Secret) ? draft with { Secret = saved.Secret } : draft;
        if (settings.Kind == VerificationKind.None)
            return new VerificationVerdict(false, "Verification is off: choose how the app signs its requests first.", null);

        var headers = JsonSerializer.Deserialize<Dictionary<string, string>>(payload.Headers) ?? [];
        var request = new SignedRequest("POST", urls.For(source.Token), new Dictionary<string, string>(headers, StringComparer.OrdinalIgnoreCase),
            payload.Body, payload.ContentType);
        var arrivedAt = new DateTimeOffset(DateTime.SpecifyKind(payload.ReceivedAt, DateTimeKind.Utc));
        var result = SignatureVerifier.Verify(settings, request, arrivedAt);
        if (result.IsValid)
            return new VerificationVerdict(true, null, null);
        // A missing header or a stale timestamp is the difference already; anything else may be one wrong choice.
        var reason = result.FailureReason;
        var difference = settings.Kind == VerificationKind.CustomHmac
                         && !reason.StartsWith("Missing header", StringComparison.Ordinal) && !reason.StartsWith("Timestamp in", StringComparison.Ordinal)
                         && !reason.StartsWith("No ", StringComparison.Ordinal) && !reason.StartsWith("The signed content", StringComparison.Ordinal)
            ? SignatureDifference.Find(settings, request, arrivedAt)
            : null;
        return new VerificationVerdict(false, result.FailureReason, difference);
    }
}

/// <summary>For a custom signature that does not match, tries one change at a time to name the part that differs.</summary>
public static class SignatureDifference
{
    private static readonly string[] UsualContents =
        ["{body}", "{timestamp}.{body}", "{timestamp}:{body}", "{timestamp}{body}", "v0:{timestamp}:{body}", "{url}{body}", "{body}{url}", "{method}{url}{body}{timestamp}"];

    public static string Find(VerificationSettings settings, SignedRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var custom = settings.Custom ?? new CustomSignature();
        foreach (var algorithm in Enum.GetValues<HmacAlgorithm>().Where(a => a != custom.Algorithm))
            if (Matches(settings, custom with { Algorithm = algorithm }, request, now))
                return $"The algorithm differs: it matches with {Name(algorithm)} instead of {Name(custom.Algorithm)}.";
        foreach (var encoding in Enum.GetValues<SignatureEncoding>().Where(e => e != custom.Encoding))
            if (Matches(settings, custom with { Encoding = encoding }, request, now))
                return $"The encoding differs: it matches with {Name(encoding)} instead of {Name(custom.Encoding)}.";
        foreach (var content in UsualContents.Where(c => c != custom.SignedContent && (!c.Contains("{timestamp}", StringComparison.Ordinal) || custom.TimestampHeader is not null)))
            if (Matches(settings, custom with { SignedContent = content }, request, now))
                return $"The signed content differs: it matches with {content} instead of {custom.SignedContent}.";
        return $"No single change of algorithm, encoding or signed content makes it match: the secret differs, or the app signs something other than {custom.SignedContent}.";
    }

    private static bool Matches(VerificationSettings settings, CustomSignature custom, SignedRequest request, DateTimeOffset now) =>
        VerificationPresets.CustomScheme(settings.HeaderName, custom).Scheme is { } scheme
        && scheme.Verify(settings with { Custom = custom }, request, now).IsValid;

    private static string Name<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();
}
