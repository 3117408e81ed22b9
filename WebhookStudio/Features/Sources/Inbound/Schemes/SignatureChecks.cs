using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace WebhookStudio.Features.Sources.Inbound.Schemes;

/// <summary>The steps every scheme shares: timestamps, HMACs, decoding and constant-time comparison.</summary>
internal static class SignatureChecks
{
    public static VerificationResult Missing(string header) => VerificationResult.Fail($"Missing header {header}");

    /// <summary>The HMAC of <paramref name="prefix"/> followed by <paramref name="body"/>, without copying the body.</summary>
    public static byte[] Hmac(HmacAlgorithm algorithm, byte[] key, string prefix, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(Name(algorithm), key);
        hmac.AppendData(Encoding.UTF8.GetBytes(prefix));
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }

    public static HashAlgorithmName Name(HmacAlgorithm algorithm) => algorithm switch
    {
        HmacAlgorithm.Sha1 => HashAlgorithmName.SHA1,
        HmacAlgorithm.Sha512 => HashAlgorithmName.SHA512,
        _ => HashAlgorithmName.SHA256,
    };

    public static string Label(HmacAlgorithm algorithm) => algorithm switch
    {
        HmacAlgorithm.Sha1 => "HMAC-SHA1",
        HmacAlgorithm.Sha512 => "HMAC-SHA512",
        _ => "HMAC-SHA256",
    };

    public static byte[]? Decode(string text, SignatureEncoding encoding)
    {
        try
        {
            return encoding == SignatureEncoding.Hex ? Convert.FromHexString(text.Trim()) : Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Ok when one candidate equals <paramref name="expected"/>; otherwise says why none did.</summary>
    /// <param name="mismatch">The reason when candidates decode to the right length but differ.</param>
    public static VerificationResult AnyMatches(
        byte[] expected, IReadOnlyCollection<string> candidates, SignatureEncoding encoding, string header, string mismatch)
    {
        var decodable = false;
        var lengths = new HashSet<int>();
        foreach (var candidate in candidates)
        {
            if (Decode(candidate, encoding) is not { } received)
                continue;
            decodable = true;
            lengths.Add(received.Length);
            if (CryptographicOperations.FixedTimeEquals(received, expected))
                return VerificationResult.Ok;
        }
        if (!decodable)
            return VerificationResult.Fail($"Header {header} is not {(encoding == SignatureEncoding.Hex ? "hexadecimal" : "base64")}");
        if (!lengths.Contains(expected.Length))
            return VerificationResult.Fail(string.Create(CultureInfo.InvariantCulture,
                $"Header {header} holds a {lengths.First()}-byte signature where {expected.Length} bytes were expected: the app signs with another algorithm"));
        return VerificationResult.Fail(mismatch);
    }

    /// <summary>Equal texts, in a time that depends on neither their content nor their lengths.</summary>
    public static bool SameText(string received, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(received)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    /// <summary>Null when <paramref name="value"/> is a timestamp within the tolerance; otherwise what is wrong with it.</summary>
    public static string? TimestampProblem(string header, string value, TimestampFormat format, TimeSpan tolerance, DateTimeOffset now)
    {
        if (ParseTimestamp(value, format) is not { } at)
            return format switch
            {
                TimestampFormat.UnixMilliseconds => $"Header {header} is not a unix timestamp in milliseconds",
                TimestampFormat.Iso8601 => $"Header {header} is not an ISO 8601 time",
                _ => $"Header {header} is not a unix timestamp",
            };

        // Whole seconds on both sides, so a timestamp exactly at the limit passes.
        var age = now.ToUnixTimeSeconds() - at.ToUnixTimeSeconds();
        var allowed = (long)tolerance.TotalSeconds;
        if (Math.Abs(age) <= allowed)
            return null;
        var direction = age > 0 ? "old" : "in the future";
        return $"Timestamp in {header} is {Duration(Math.Abs(age))} {direction}; allowed ±{Duration(allowed)}";
    }

    private static DateTimeOffset? ParseTimestamp(string value, TimestampFormat format)
    {
        if (format == TimestampFormat.Iso8601)
            return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null;
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            return null;
        try
        {
            return format == TimestampFormat.UnixMilliseconds ? DateTimeOffset.FromUnixTimeMilliseconds(number) : DateTimeOffset.FromUnixTimeSeconds(number);
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>The two largest units: "7 minutes", "5 minutes 30 seconds", "3 days 4 hours".</summary>
    public static string Duration(long seconds)
    {
        (long Size, string Name)[] units = [(86_400, "day"), (3_600, "hour"), (60, "minute"), (1, "second")];
        var parts = new List<string>();
        foreach (var (size, name) in units)
        {
            var count = seconds / size;
            seconds %= size;
            if (count > 0 && parts.Count < 2)
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{count} {name}{(count == 1 ? "" : "s")}"));
            else if (parts.Count > 0)
                break;
        }
        return parts.Count == 0 ? "0 seconds" : string.Join(' ', parts);
    }
}

public enum TimestampFormat { UnixSeconds, UnixMilliseconds, Iso8601 }
