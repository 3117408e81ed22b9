using System.Security.Cryptography;
using System.Text;

namespace WebhookStudio.Features.Outbound;

/// <summary>
/// Standard Webhooks signing (https://www.standardwebhooks.com): <c>webhook-signature: v1,&lt;base64 HMAC-SHA256&gt;</c>
/// over <c>{id}.{timestamp}.{body}</c>, keyed with the bytes after <c>whsec_</c>. Several secrets (during a
/// rotation) give several space-separated signatures; a receiver accepts the request when one matches.
/// </summary>
public static class WebhookSignature
{
    public const string SecretPrefix = "whsec_";
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";

    /// <summary>A new signing secret: <c>whsec_</c> and 32 random bytes in base64.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>A webhook id for a new delivery: stable across its attempts.</summary>
    public static string NewWebhookId() => "msg_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static string Sign(IEnumerable<string> secrets, string webhookId, long timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var prefix = Encoding.UTF8.GetBytes($"{webhookId}.{timestamp}.");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return string.Join(' ', secrets.Select(secret => "v1," + Convert.ToBase64String(HMACSHA256.HashData(Key(secret), signed))));
    }

    private static byte[] Key(string secret) =>
        Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);
}
