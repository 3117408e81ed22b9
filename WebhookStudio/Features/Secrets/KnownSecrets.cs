using System.Collections.Frozen;
using Microsoft.EntityFrameworkCore;
using WebhookStudio.Data;
using WebhookStudio.Features.Connectors;
using WebhookStudio.Features.Outbound;
using WebhookStudio.Features.Sources.Inbound;
using WebhookStudio.Features.Sources.Receiving;

namespace WebhookStudio.Features.Secrets;

/// <summary>
/// What the studio knows to be secret at a moment: header and query parameter names that carry credentials (the
/// fixed list, the ones connectors and sources declare) and the secret values themselves (connector secrets, sources'
/// verification secrets). A value under such a name, or containing such a value, is shown and stored masked.
/// </summary>
public sealed class KnownSecrets(IReadOnlySet<string> headerNames, IReadOnlySet<string> queryNames, IReadOnlyList<string> values)
{
    /// <summary>Query parameters whose names say they carry a credential, whatever declared them.</summary>
    private static readonly string[] SecretWords = ["key", "token", "secret", "password", "passwd", "signature", "sig", "auth"];

    /// <summary>Secrets shorter than this are not looked for inside other values: they would mask ordinary words.</summary>
    internal const int MinimumValueLength = 6;

    public static KnownSecrets NamesOnly { get; } = new(FrozenSet<string>.Empty, FrozenSet<string>.Empty, []);

    public bool IsSecretHeader(string name) => SensitiveHeaders.IsSensitive(name) || headerNames.Contains(name);

    public bool IsSecretQueryName(string name) =>
        queryNames.Contains(name) || SecretWords.Any(w => name.Contains(w, StringComparison.OrdinalIgnoreCase));

    public bool ContainsSecret(string value) => values.Any(s => value.Contains(s, StringComparison.Ordinal));

    /// <summary>The value masked when its name or content is secret; an already masked value stays as it is.</summary>
    public string Header(string name, string value) =>
        (IsSecretHeader(name) || ContainsSecret(value)) && !value.StartsWith(SensitiveHeaders.MaskPrefix, StringComparison.Ordinal)
            ? SensitiveHeaders.Mask(value) : value;

    public Dictionary<string, string> Headers(IReadOnlyDictionary<string, string> headers) =>
        headers.ToDictionary(h => h.Key, h => Header(h.Key, h.Value), StringComparer.OrdinalIgnoreCase);

    /// <summary>Text with every known secret value (also URL-encoded, as in a form body) replaced by its mask.</summary>
    public string Text(string text)
    {
        foreach (var secret in values)
        {
            text = text.Replace(secret, SensitiveHeaders.Mask(secret), StringComparison.Ordinal);
            var escaped = Uri.EscapeDataString(secret);
            if (!string.Equals(escaped, secret, StringComparison.Ordinal))
                text = text.Replace(escaped, SensitiveHeaders.Mask(secret), StringComparison.Ordinal);
        }
        return text;
    }

    /// <summary>A UTF-8 body with known secret values masked; binary bodies and bodies without a secret stay as they are.</summary>
    public byte[] Body(byte[] body, Func<byte[], string?> asText)
    {
        if (values.Count == 0 || asText(body) is not { } text)
            return body;
        var masked = Text(text);
        return ReferenceEquals(masked, text) || string.Equals(masked, text, StringComparison.Ordinal) ? body : System.Text.Encoding.UTF8.GetBytes(masked);
    }

    /// <summary>A query string (with or without its <c>?</c>) with secret parameter values masked; names and order stay.</summary>
    public string QueryString(string query)
    {
        if (query.Length == 0) return query;
        var question = query.StartsWith('?') ? "?" : "";
        var parts = query[question.Length..].Split('&').Select(part =>
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0 || eq == part.Length - 1) return part;
            var name = Uri.UnescapeDataString(part[..eq].Replace('+', ' '));
            var value = Uri.UnescapeDataString(part[(eq + 1)..].Replace('+', ' '));
            return (IsSecretQueryName(name) || ContainsSecret(value)) && !value.StartsWith(SensitiveHeaders.MaskPrefix, StringComparison.Ordinal)
                ? part[..(eq + 1)] + Uri.EscapeDataString(SensitiveHeaders.Mask(value)) : part;
        });
        return question + string.Join('&', parts);
    }
}

/// <summary>Reads <see cref="KnownSecrets"/> from the connectors and sources as they are now.</summary>
public sealed class KnownSecretsReader(IDbContextFactory<StudioDbContext> contexts, OutboundSecrets outboundSecrets, SourceSecrets sourceSecrets)
{
    public async Task<KnownSecrets> ReadAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var connectors = await db.Connectors.AsNoTracking()
            .Select(c => new { c.Kind, c.ParameterName, c.SecretProtected }).ToListAsync(cancellationToken);
        var sources = await db.Sources.AsNoTracking().Where(s => s.VerificationSecretProtected != null || s.VerificationHeader != null)
            .Select(s => new { s.VerificationHeader, s.VerificationSecretProtected }).ToListAsync(cancellationToken);

        var headerNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var queryNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var values = new List<string>();
        foreach (var connector in connectors)
        {
            if (connector.Kind == ConnectorKind.ApiKeyHeader && connector.ParameterName is { } header) headerNames.Add(header);
            if (connector.Kind == ConnectorKind.ApiKeyQuery && connector.ParameterName is { } query) queryNames.Add(query);
            if (connector.SecretProtected is { } secret && TryUnprotect(() => outboundSecrets.UnprotectConnector(secret)) is { } value)
                values.Add(value);
        }
        foreach (var source in sources)
        {
            if (source.VerificationHeader is { Length: > 0 } header) headerNames.Add(header);
            if (TryUnprotect(() => sourceSecrets.Unprotect(source.VerificationSecretProtected)) is { } value)
                values.Add(value);
        }
        return new KnownSecrets(headerNames, queryNames,
            values.Where(v => v.Length >= KnownSecrets.MinimumValueLength).Distinct(StringComparer.Ordinal).ToList());
    }

    /// <summary>A secret protected with a key the ring no longer holds cannot be looked for; the names still are.</summary>
    private static string? TryUnprotect(Func<string?> unprotect)
    {
        try { return unprotect(); }
        catch (System.Security.Cryptography.CryptographicException) { return null; }
    }
}
