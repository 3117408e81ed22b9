using System.Text;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace WebhookStudio.Features.Sources.Inbound.Schemes;

/// <summary>
/// Discord (webhook events and interactions): a hex Ed25519 signature (X-Signature-Ed25519) of the timestamp (X-Signature-Timestamp)
/// followed by the raw body, checked with the application's hex public key. .NET has no Ed25519, hence BouncyCastle.
/// </summary>
public sealed class Ed25519Scheme : IVerificationScheme
{
    public const string SignatureHeader = "X-Signature-Ed25519";
    public const string TimestampHeader = "X-Signature-Timestamp";

    public VerificationResult Verify(VerificationSettings settings, SignedRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(request);
        if (request.Header(SignatureHeader) is not { } signatureText)
            return SignatureChecks.Missing(SignatureHeader);
        if (request.Header(TimestampHeader) is not { } timestamp)
            return SignatureChecks.Missing(TimestampHeader);
        if (SignatureChecks.TimestampProblem(TimestampHeader, timestamp, TimestampFormat.UnixSeconds, settings.Tolerance, now) is { } problem)
            return VerificationResult.Fail(problem);
        if (PublicKey(settings.Secret) is not { } key)
            return VerificationResult.Fail("The public key is not valid: it is 64 hexadecimal characters");
        if (SignatureChecks.Decode(signatureText, SignatureEncoding.Hex) is not { Length: 64 } signature)
            return VerificationResult.Fail($"Header {SignatureHeader} is not a 64-byte hexadecimal signature");

        var signer = new Ed25519Signer();
        signer.Init(false, key);
        signer.BlockUpdate(Encoding.UTF8.GetBytes(timestamp));
        signer.BlockUpdate(request.Body.Span);
        return signer.VerifySignature(signature)
            ? VerificationResult.Ok
            : VerificationResult.Fail($"The signature in {SignatureHeader} does not match the timestamp and the body for this public key");
    }

    public string? SecretProblem(string secret) =>
        PublicKey(secret) is null ? "Paste the application's Public Key: 64 hexadecimal characters." : null;

    private static Ed25519PublicKeyParameters? PublicKey(string text) =>
        SignatureChecks.Decode(text, SignatureEncoding.Hex) is { Length: 32 } bytes
            ? new Ed25519PublicKeyParameters(bytes)
            : null;
}
