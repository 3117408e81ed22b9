using WebhookStudio.Features.Sources.Inbound;

namespace WebhookStudio.Features.Secrets;

/// <summary>A received payload's headers as stored: credentials and the source's own secret header keep only their last characters.</summary>
public static class StoredHeaders
{
    public static IReadOnlyDictionary<string, string> Masked(IReadOnlyDictionary<string, string> headers, VerificationSettings? verification)
    {
        // Most payloads carry no credential header: they are stored as they are, without a copy.
        if (!headers.Keys.Any(name => SensitiveHeaders.IsSensitive(name, verification)))
            return headers;
        return headers.ToDictionary(h => h.Key,
            h => SensitiveHeaders.IsSensitive(h.Key, verification) ? SensitiveHeaders.Mask(h.Value) : h.Value, StringComparer.OrdinalIgnoreCase);
    }
}
