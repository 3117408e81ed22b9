namespace WebhookStudio.Features.Sources.Inbound.Schemes;

/// <summary>One family of signatures; a <see cref="VerificationPreset"/> pairs an app with one, described by data.</summary>
public interface IVerificationScheme
{
    /// <param name="settings">The source's settings; the secret is known to be non-empty.</param>
    VerificationResult Verify(VerificationSettings settings, SignedRequest request, DateTimeOffset now);

    /// <summary>Null when <paramref name="secret"/> has the form this scheme needs (a base64 key, a public key…).</summary>
    string? SecretProblem(string secret) => null;

    /// <summary>Headers that carry the secret itself rather than a signature of it; shown masked.</summary>
    IEnumerable<string> SecretHeaders(VerificationSettings settings) => [];
}

/// <summary>How the secret the user pastes becomes the HMAC key.</summary>
public enum KeyFormat
{
    /// <summary>The text's UTF-8 bytes, as most apps use.</summary>
    Utf8,

    /// <summary>The bytes the text encodes in base64 (Airtable's macSecretBase64, Microsoft Teams' security token).</summary>
    Base64,
}
