using System.Text.Json;
using WebhookStudio.Infrastructure;

namespace WebhookStudio.Features.Sources.Inbound;

/// <summary>The stored form of a <see cref="CustomSignature"/>: one JSON column, in the API's own spelling.</summary>
public static class CustomSignatures
{
    public static string? Write(CustomSignature? custom) => custom is null ? null : JsonSerializer.Serialize(custom, StudioJson.ApiSpelling);

    public static CustomSignature? Read(string? json) => json is null ? null : JsonSerializer.Deserialize<CustomSignature>(json, StudioJson.ApiSpelling);
}
