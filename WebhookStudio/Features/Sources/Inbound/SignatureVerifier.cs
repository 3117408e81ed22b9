using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace WebhookStudio.Features.Sources.Inbound;

/// <summary>Checks a received request against a source's <see cref="VerificationSettings"/>.</summary>
public static class SignatureVerifier
{
    private const string StandardWebhooksSecretPrefix = "whsec_";

    /// <param name="headers">Request headers; keys are expected case-insensitive.</param>
    /// <param name="body">The raw body exactly as received: signatures cover bytes, not parsed JSON.</param>
    public static VerificationResult Verify(
        VerificationSettings settings,
        IReadOnlyDictionary<string, string> headers,
        ReadOnlySpan<byte> body,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(headers);

        if (settings.Kind == VerificationKind.None)
        {
            return VerificationResult.Ok;
        }

        // An empty key is a key everybody knows.
        if (string.IsNullOrEmpty(settings.Secret))
        {
            return VerificationResult.Fail("No secret is configured for verification");
        }

        return settings.Kind switch
        {
            VerificationKind.SharedSecretHeader => VerifySharedSecret(settings, headers),
            VerificationKind.StandardWebhooks => VerifyStandardWebhooks(settings, headers, body, now),
            VerificationKind.GitHub => VerifyGitHub(settings, headers, body),
            VerificationKind.Stripe => VerifyStripe(settings, headers, body, now),
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Kind, "Unknown verification kind"),
        };
    }

    private static VerificationResult VerifySharedSecret(VerificationSettings settings, IReadOnlyDictionary<string, string> headers)
    {
        if (string.IsNullOrWhiteSpace(settings.HeaderName))
        {
            return VerificationResult.Fail("No header name is configured for the shared secret");
        }
        if (!TryGetHeader(headers, settings.HeaderName, out var value))
        {
            return Missing(settings.HeaderName);
        }

        // Comparing hashes keeps the time independent of the secret's length, not only of its content.
        var matches = CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(value)),
            SHA256.HashData(Encoding.UTF8.GetBytes(settings.Secret)));
        return matches ? VerificationResult.Ok : VerificationResult.Fail($"Header {settings.HeaderName} does not match the secret");
    }

    private static VerificationResult VerifyStandardWebhooks(
        VerificationSettings settings, IReadOnlyDictionary<string, string> headers, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        if (!TryGetHeader(headers, "webhook-id", out var id))
        {
            return Missing("webhook-id");
        }
        if (!TryGetHeader(headers, "webhook-timestamp", out var timestamp))
        {
            return Missing("webhook-timestamp");
        }
        if (!TryGetHeader(headers, "webhook-signature", out var signatures))
        {
            return Missing("webhook-signature");
        }
        if (TimestampProblem("webhook-timestamp", timestamp, settings.Tolerance, now) is { } problem)
        {
            return VerificationResult.Fail(problem);
        }

        byte[] key;
        try
        {
            key = StandardWebhooksKey(settings.Secret);
        }
        catch (FormatException)
        {
            return VerificationResult.Fail($"The secret is not valid: the part after {StandardWebhooksSecretPrefix} must be base64");
        }

        // Several signatures let a sender rotate its secret; other versions (v1a is asymmetric) are skipped.
        var candidates = signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(entry => entry.StartsWith("v1,", StringComparison.Ordinal))
            .Select(entry => entry[3..])
            .ToList();
        if (candidates.Count == 0)
        {
            return VerificationResult.Fail("Header webhook-signature has no v1 signature");
        }
        return AnyMatches(Hmac(key, $"{id}.{timestamp}.", body), candidates, Convert.FromBase64String);
    }

    private static VerificationResult VerifyGitHub(
        VerificationSettings settings, IReadOnlyDictionary<string, string> headers, ReadOnlySpan<byte> body)
    {
        const string header = "X-Hub-Signature-256";
        const string prefix = "sha256=";
        if (!TryGetHeader(headers, header, out var signature))
        {
            return Missing(header);
        }
        if (!signature.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return VerificationResult.Fail($"Header {header} must start with {prefix}");
        }
        return AnyMatches(Hmac(Encoding.UTF8.GetBytes(settings.Secret), "", body), [signature[prefix.Length..]], Convert.FromHexString);
    }

    private static VerificationResult VerifyStripe(
        VerificationSettings settings, IReadOnlyDictionary<string, string> headers, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        const string header = "Stripe-Signature";
        if (!TryGetHeader(headers, header, out var value))
        {
            return Missing(header);
        }

        string? timestamp = null;
        var candidates = new List<string>();
        foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (part.StartsWith("t=", StringComparison.Ordinal))
            {
                timestamp = part[2..];
            }
            else if (part.StartsWith("v1=", StringComparison.Ordinal))
            {
                candidates.Add(part[3..]);
            }
        }

        if (timestamp is null)
        {
            return VerificationResult.Fail($"Header {header} has no timestamp (t=)");
        }
        if (candidates.Count == 0)
        {
            return VerificationResult.Fail($"Header {header} has no v1 signature");
        }
        if (TimestampProblem(header, timestamp, settings.Tolerance, now) is { } problem)
        {
            return VerificationResult.Fail(problem);
        }

        // Stripe keys the HMAC with the whole secret string, "whsec_" included.
        return AnyMatches(Hmac(Encoding.UTF8.GetBytes(settings.Secret), $"{timestamp}.", body), candidates, Convert.FromHexString);
    }

    private static byte[] StandardWebhooksKey(string secret) =>
        secret.StartsWith(StandardWebhooksSecretPrefix, StringComparison.Ordinal)
            ? Convert.FromBase64String(secret[StandardWebhooksSecretPrefix.Length..])
            : Encoding.UTF8.GetBytes(secret);

    private static byte[] Hmac(byte[] key, string prefix, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(Encoding.UTF8.GetBytes(prefix));
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }

    private static VerificationResult AnyMatches(byte[] expected, IEnumerable<string> candidates, Func<string, byte[]> decode)
    {
        foreach (var candidate in candidates)
        {
            byte[] received;
            try
            {
                received = decode(candidate);
            }
            catch (FormatException)
            {
                continue;
            }
            if (CryptographicOperations.FixedTimeEquals(received, expected))
            {
                return VerificationResult.Ok;
            }
        }
        return VerificationResult.Fail("Signature does not match");
    }

    private static string? TimestampProblem(string header, string value, TimeSpan tolerance, DateTimeOffset now)
    {
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return $"Header {header} is not a unix timestamp";
        }

        // Whole seconds on both sides, so a timestamp exactly at the limit passes.
        var age = now.ToUnixTimeSeconds() - seconds;
        var allowed = (long)tolerance.TotalSeconds;
        if (Math.Abs(age) <= allowed)
        {
            return null;
        }
        var direction = age > 0 ? "old" : "in the future";
        return $"Timestamp is {Duration(Math.Abs(age))} {direction}; allowed ±{Duration(allowed)}";
    }

    /// <summary>The two largest units: "7 minutes", "5 minutes 30 seconds", "3 days 4 hours".</summary>
    private static string Duration(long seconds)
    {
        (long Size, string Name)[] units = [(86_400, "day"), (3_600, "hour"), (60, "minute"), (1, "second")];
        var parts = new List<string>();
        foreach (var (size, name) in units)
        {
            var count = seconds / size;
            seconds %= size;
            if (count > 0 && parts.Count < 2)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{count} {name}{(count == 1 ? "" : "s")}"));
            }
            else if (parts.Count > 0)
            {
                break;
            }
        }
        return parts.Count == 0 ? "0 seconds" : string.Join(' ', parts);
    }

    private static bool TryGetHeader(IReadOnlyDictionary<string, string> headers, string name, [NotNullWhen(true)] out string? value)
    {
        if (!headers.TryGetValue(name, out value))
        {
            // Callers promise case-insensitive keys; the scan keeps an ordinary dictionary working as well.
            value = headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
        }
        return !string.IsNullOrWhiteSpace(value);
    }

    private static VerificationResult Missing(string header) => VerificationResult.Fail($"Missing header {header}");
}
