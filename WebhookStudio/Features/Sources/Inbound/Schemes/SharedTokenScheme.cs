using System.Text.Json;

namespace WebhookStudio.Features.Sources.Inbound.Schemes;

/// <summary>
/// No signature: the request carries the secret itself, in a header (GitLab's X-Gitlab-Token, or one the user names)
/// or in a body field (Mattermost's <c>token</c>). Compared in constant time.
/// </summary>
public sealed record SharedTokenScheme : IVerificationScheme
{
    /// <summary>The header with the token; null takes the source's <see cref="VerificationSettings.HeaderName"/>.</summary>
    public string? Header { get; init; }

    /// <summary>Reads the token from this field of a JSON or form body instead of a header.</summary>
    public string? BodyField { get; init; }

    public VerificationResult Verify(VerificationSettings settings, SignedRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(request);
        if (BodyField is { } field)
        {
            if (FieldValue(request, field) is not { } sent)
                return VerificationResult.Fail($"The body has no {field} field");
            return SignatureChecks.SameText(sent, settings.Secret)
                ? VerificationResult.Ok
                : VerificationResult.Fail($"The {field} field of the body does not match the token");
        }

        var header = Header ?? settings.HeaderName;
        if (string.IsNullOrWhiteSpace(header))
            return VerificationResult.Fail("No header name is configured for the shared secret");
        if (request.Header(header) is not { } value)
            return SignatureChecks.Missing(header);
        return SignatureChecks.SameText(value, settings.Secret)
            ? VerificationResult.Ok
            : VerificationResult.Fail($"Header {header} does not match the secret");
    }

    public IEnumerable<string> SecretHeaders(VerificationSettings settings) =>
        (Header ?? settings?.HeaderName) is { } header && BodyField is null ? [header] : [];

    private static string? FieldValue(SignedRequest request, string field)
    {
        if (request.IsForm)
            return request.FormFields.FirstOrDefault(f => f.Key == field).Value;
        try
        {
            using var body = JsonDocument.Parse(request.Body);
            return body.RootElement.ValueKind == JsonValueKind.Object
                   && body.RootElement.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
