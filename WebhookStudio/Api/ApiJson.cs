using System.Text.Json;

namespace WebhookStudio.Api;

public static class ApiJson
{
    /// <summary>Stored JSON text as a value the API writes out as it is, so big integers keep every digit.</summary>
    public static JsonElement Element(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
