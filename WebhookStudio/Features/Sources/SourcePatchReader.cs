using System.Text.Json;
using WebhookStudio.Api;
using WebhookStudio.Features.Sources.Filtering;
using WebhookStudio.Features.Sources.Inbound;

namespace WebhookStudio.Features.Sources;

/// <summary>
/// Reads a PATCH body by hand, because a PATCH must tell "absent" (leave it) from <c>null</c> (clear it),
/// and every wrong type becomes a message for its field rather than a generic 400.
/// </summary>
internal static class SourcePatchReader
{
    public static SourcePatch Read(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
            throw new ValidationException("body", "Send a JSON object with the fields to change.");
        var errors = new Dictionary<string, string[]>();
        var patch = new SourcePatch
        {
            Name = String(body, "name", errors),
            EntityPath = String(body, "entityPath", errors),
            IdPath = String(body, "idPath", errors),
            TitlePath = String(body, "titlePath", errors),
            LiveStream = Bool(body, "liveStream", errors),
        };

        if (body.TryGetProperty("fetchMode", out var mode))
        {
            if (mode.ValueKind == JsonValueKind.String && ApiEnum.TryParse<FetchMode>(mode.GetString(), out var parsed))
                patch = patch with { FetchMode = parsed };
            else
                errors["fetchMode"] = ["fetchMode is \"update\" (update the item with the same id) or \"new\" (build a new item)."];
        }
        if (body.TryGetProperty("filter", out var filter))
        {
            try { patch = patch with { FilterSet = true, Filter = ReadFilter(filter, "filter") }; }
            catch (ValidationException invalid) { foreach (var e in invalid.Errors) errors[e.Key] = e.Value; }
        }
        if (body.TryGetProperty("verification", out var verification))
        {
            var read = ReadVerification(verification, errors);
            if (read is not null) patch = patch with { Verification = read };
        }
        if (body.TryGetProperty("dedupKey", out var dedup))
        {
            if (dedup.ValueKind is JsonValueKind.Null or JsonValueKind.String) patch = patch with { DedupKeySet = true, DedupKey = dedup.GetString() };
            else errors["dedupKey"] = ["dedupKey is a header name or a JSONPath, or null."];
        }
        if (body.TryGetProperty("retentionDays", out var retention))
        {
            if (retention.ValueKind == JsonValueKind.Null) patch = patch with { RetentionSet = true, RetentionDays = null };
            else if (retention.ValueKind == JsonValueKind.Number && retention.TryGetInt32(out var days)) patch = patch with { RetentionSet = true, RetentionDays = days };
            else errors["retentionDays"] = ["retentionDays is a whole number of days, or null for the default."];
        }
        if (errors.Count > 0)
            throw new ValidationException(errors);
        return patch;
    }

    /// <summary>The condition group's JSON form, or null (accept all).</summary>
    public static ConditionGroup? ReadFilter(JsonElement? filter, string field)
    {
        if (filter is not { } element || element.ValueKind == JsonValueKind.Null)
            return null;
        try
        {
            return ConditionGroup.Parse(element.GetRawText());
        }
        catch (JsonException e)
        {
            throw new ValidationException(field, Inbound.JsonErrorText.Describe(e));
        }
    }

    internal static VerificationPatch? ReadVerification(JsonElement element, Dictionary<string, string[]> errors)
    {
        if (element.ValueKind == JsonValueKind.Null)
            return new VerificationPatch(VerificationKind.None, null, null, null);
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors["verification"] = ["verification is an object {kind, secret, headerName, verifyToken, toleranceSeconds} or null."];
            return null;
        }

        var kindText = String(element, "kind", errors, "verification.kind");
        if (!ApiEnum.TryParse<VerificationKind>(kindText, out var kind))
        {
            errors["verification.kind"] = [$"kind is one of: {string.Join(", ", Enum.GetValues<VerificationKind>().Select(ApiEnum.Name))}."];
            return null;
        }
        int? tolerance = null;
        if (element.TryGetProperty("toleranceSeconds", out var t))
        {
            if (t.ValueKind == JsonValueKind.Number && t.TryGetInt32(out var seconds)) tolerance = seconds;
            else errors["verification.toleranceSeconds"] = ["toleranceSeconds is a whole number."];
        }
        return new VerificationPatch(kind, String(element, "secret", errors, "verification.secret"),
                                     String(element, "headerName", errors, "verification.headerName"), tolerance)
        {
            VerifyToken = String(element, "verifyToken", errors, "verification.verifyToken"),
            Custom = kind == VerificationKind.CustomHmac ? ReadCustom(element, errors) : null,
        };
    }

    /// <summary>The custom signature's fields, beside the kind; an absent one takes its default (sha256, hex, no prefix, {body}).</summary>
    private static CustomSignature ReadCustom(JsonElement element, Dictionary<string, string[]> errors)
    {
        var custom = new CustomSignature
        {
            Prefix = String(element, "prefix", errors, "verification.prefix") ?? "",
            SignedContent = String(element, "signedContent", errors, "verification.signedContent") ?? SignedContentTemplate.BodyOnly,
            TimestampHeader = String(element, "timestampHeader", errors, "verification.timestampHeader"),
        };
        if (String(element, "algorithm", errors, "verification.algorithm") is { } algorithm)
        {
            if (ApiEnum.TryParse<HmacAlgorithm>(algorithm, out var parsed)) custom = custom with { Algorithm = parsed };
            else errors["verification.algorithm"] = ["algorithm is sha1, sha256 or sha512."];
        }
        if (String(element, "encoding", errors, "verification.encoding") is { } encoding)
        {
            if (ApiEnum.TryParse<SignatureEncoding>(encoding, out var parsed)) custom = custom with { Encoding = parsed };
            else errors["verification.encoding"] = ["encoding is hex or base64."];
        }
        return custom;
    }

    private static string? String(JsonElement body, string name, Dictionary<string, string[]> errors, string? field = null)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind == JsonValueKind.String)
            return value.GetString();
        errors[field ?? name] = [$"{name} must be a string."];
        return null;
    }

    private static bool? Bool(JsonElement body, string name, Dictionary<string, string[]> errors)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
            return value.GetBoolean();
        errors[name] = [$"{name} must be true or false."];
        return null;
    }
}
