using System.Text.Json;
using System.Text.Json.Serialization;

namespace WebhookStudio.Features.Sources.Inbound;

/// <summary>The stored form of a <see cref="CustomSignature"/>: one JSON column, in the API's own spelling.</summary>
public static class CustomSignatures
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string? Write(CustomSignature? custom) => custom is null ? null : JsonSerializer.Serialize(custom, Options);

    public static CustomSignature? Read(string? json) => json is null ? null : JsonSerializer.Deserialize<CustomSignature>(json, Options);
}
