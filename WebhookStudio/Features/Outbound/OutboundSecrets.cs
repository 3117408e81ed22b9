using System.Collections.Concurrent;
using Microsoft.AspNetCore.DataProtection;

namespace WebhookStudio.Features.Outbound;

/// <summary>
/// Encrypts the outbound secrets at rest with Data Protection, one purpose per kind (as <c>SourceSecrets</c>
/// does for inbound verification), so a value protected for one use cannot be unprotected for another.
/// Every delivery needs its subscription's signing secret: unprotecting one costs a key derivation, an AES decryption
/// and an HMAC, too much to repeat per delivery, so the secrets in use stay unprotected in memory, per purpose and
/// keyed by their protected form (a new secret is a new entry). Nothing here is logged or shown.
/// </summary>
public sealed class OutboundSecrets(IDataProtectionProvider provider)
{
    /// <summary>More secrets in use than this: the cache starts over rather than grow without bound.</summary>
    private const int MaxKept = 1024;

    private readonly IDataProtector signing = provider.CreateProtector("WebhookStudio.Subscriptions.Signing");
    private readonly IDataProtector connectors = provider.CreateProtector("WebhookStudio.Connectors.Secret");
    private readonly ConcurrentDictionary<string, string> signingKept = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> connectorsKept = new(StringComparer.Ordinal);

    public string ProtectSigning(string secret) => signing.Protect(secret);

    public string UnprotectSigning(string protectedSecret) => Unprotect(signing, signingKept, protectedSecret);

    public string ProtectConnector(string secret) => connectors.Protect(secret);

    public string UnprotectConnector(string protectedSecret) => Unprotect(connectors, connectorsKept, protectedSecret);

    private static string Unprotect(IDataProtector protector, ConcurrentDictionary<string, string> kept, string protectedSecret)
    {
        if (kept.TryGetValue(protectedSecret, out var secret))
            return secret;
        secret = protector.Unprotect(protectedSecret);
        if (kept.Count >= MaxKept)
            kept.Clear();
        kept[protectedSecret] = secret;
        return secret;
    }
}
