using System.Security.Cryptography;
using System.Text;

namespace WebhookStudio.Features.Sources.Inbound.Schemes;

/// <summary>
/// SendGrid's signed Event Webhook: a base64 DER ECDSA P-256/SHA-256 signature of the timestamp followed by the raw
/// body, checked with the verification key as SendGrid shows it (base64 DER SubjectPublicKeyInfo).
/// </summary>
public sealed class EcdsaScheme : IVerificationScheme
{
    public const string SignatureHeader = "X-Twilio-Email-Event-Webhook-Signature";
    public const string TimestampHeader = "X-Twilio-Email-Event-Webhook-Timestamp";

    public VerificationResult Verify(VerificationSettings settings, SignedRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(request);
        if (request.Header(SignatureHeader) is not { } signatureText)
            return SignatureChecks.Missing(SignatureHeader);
        if (request.Header(TimestampHeader) is not { } timestamp)
            return SignatureChecks.Missing(TimestampHeader);
        if (SignatureChecks.Decode(signatureText, SignatureEncoding.Base64) is not { } signature)
            return VerificationResult.Fail($"Header {SignatureHeader} is not base64");

        using var key = PublicKey(settings.Secret);
        if (key is null)
            return VerificationResult.Fail("The verification key is not valid: paste it whole, as SendGrid shows it");
        // SendGrid retries a failed delivery for up to a day with the same timestamp, so its age is not checked.
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(timestamp));
        hash.AppendData(request.Body.Span);
        bool valid;
        try { valid = key.VerifyHash(hash.GetHashAndReset(), signature, DSASignatureFormat.Rfc3279DerSequence); }
        catch (CryptographicException) { valid = false; }
        return valid
            ? VerificationResult.Ok
            : VerificationResult.Fail($"The signature in {SignatureHeader} does not match the timestamp and the body for this verification key");
    }

    public string? SecretProblem(string secret)
    {
        using var key = PublicKey(secret);
        return key is null ? "Paste SendGrid's verification key whole: the base64 text SendGrid shows after you turn signing on." : null;
    }

    private static ECDsa? PublicKey(string text)
    {
        if (SignatureChecks.Decode(text, SignatureEncoding.Base64) is not { } der)
            return null;
        var key = ECDsa.Create();
        try
        {
            key.ImportSubjectPublicKeyInfo(der, out _);
            return key;
        }
        catch (CryptographicException)
        {
            key.Dispose();
            return null;
        }
    }
}
