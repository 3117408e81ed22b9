using System.Security.Cryptography;
using System.Text;

namespace WebhookStudio.Features.Sources.Inbound.Schemes;

/// <summary>
/// Twilio's X-Twilio-Signature: base64 HMAC-SHA1, keyed with the Auth Token, of the full URL followed by each
/// form field's name and value, sorted by name. A JSON body is instead covered by the URL's <c>bodySHA256</c> parameter.
/// </summary>
public sealed class TwilioScheme : IVerificationScheme
{
    public const string Header = "X-Twilio-Signature";

    public VerificationResult Verify(VerificationSettings settings, SignedRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(request);
        if (request.Header(Header) is not { } signature)
            return SignatureChecks.Missing(Header);

        var content = new StringBuilder(request.Url);
        if (request.IsForm)
        {
            foreach (var field in request.FormFields.OrderBy(f => f.Key, StringComparer.Ordinal).ThenBy(f => f.Value, StringComparer.Ordinal))
                content.Append(field.Key).Append(field.Value);
        }
        var expected = SignatureChecks.Hmac(HmacAlgorithm.Sha1, Encoding.UTF8.GetBytes(settings.Secret), content.ToString(), []);
        var verdict = SignatureChecks.AnyMatches(expected, [signature], SignatureEncoding.Base64, Header,
            $"The signature in {Header} does not match this receiver URL ({request.Url}) and the form fields signed with this Auth Token");
        if (!verdict.IsValid || request.IsForm)
            return verdict;

        // The URL (now known genuine) carries the hash of a body that is not a form.
        var bodyHash = QueryValue(request.Url, "bodySHA256");
        if (bodyHash is null)
            return VerificationResult.Ok;
        var matches = SignatureChecks.Decode(bodyHash, SignatureEncoding.Hex) is { } hash
                      && CryptographicOperations.FixedTimeEquals(hash, SHA256.HashData(request.Body.Span));
        return matches ? VerificationResult.Ok : VerificationResult.Fail("The body does not match the bodySHA256 parameter of the signed URL");
    }

    private static string? QueryValue(string url, string name)
    {
        var query = url.IndexOf('?', StringComparison.Ordinal) is var at and >= 0 ? url[(at + 1)..] : "";
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && Uri.UnescapeDataString(pair[..equals]) == name)
                return Uri.UnescapeDataString(pair[(equals + 1)..]);
        }
        return null;
    }
}
