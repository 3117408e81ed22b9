using System.Globalization;
using System.Reflection;
using System.Text;

namespace WebhookStudio.Features.Sources.Catalog;

/// <summary>A body to send as a sample, with the content type the app would send it with.</summary>
public sealed record SamplePayload(string FileName, string ContentType, byte[] Body, bool IsGeneric);

/// <summary>
/// The catalog's sample payloads (<c>Catalog/Samples</c>) for the setup's "Send a sample" button, embedded into the
/// assembly at build time (see WebhookStudio.csproj) so an installed app has them too.
/// </summary>
public sealed class SamplePayloadLibrary(TimeProvider clock)
{
    /// <summary>The prefix WebhookStudio.csproj gives the embedded samples' resource names.</summary>
    internal const string ResourcePrefix = "SamplePayloads/";

    private static readonly Assembly Assembly = typeof(SamplePayloadLibrary).Assembly;

    /// <summary>The app's own sample, or a generic JSON one for a custom source (or an app whose sample is missing).</summary>
    public SamplePayload For(string? appKey)
    {
        var app = AppCatalog.Find(appKey);
        if (app is not null && Read(app.SampleFile) is { } body)
            return new SamplePayload(app.SampleFile, app.ContentType, body, IsGeneric: false);
        return Generic(app);
    }

    /// <summary>Whether the assembly holds the sample file.</summary>
    public static bool Exists(string fileName) => Assembly.GetManifestResourceInfo(ResourcePrefix + fileName) is not null;

    /// <summary>The bytes of one sample file, or null when the assembly has no such sample.</summary>
    public static byte[]? Read(string fileName)
    {
        using var embedded = Assembly.GetManifestResourceStream(ResourcePrefix + fileName);
        if (embedded is null)
            return null;
        using var copy = new MemoryStream();
        embedded.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>A small record most mappings can work with: an id and a title at the top, a nested object to pick.</summary>
    private SamplePayload Generic(CatalogApp? app)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var json = $$"""
            {
              "id": "sample-{{now.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)}}",
              "event": "record.created",
              "source": "{{app?.Name ?? "Webhook Studio"}}",
              "occurred_at": "{{now.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}}",
              "data": {
                "id": "rec_1001",
                "name": "Sample record",
                "email": "ada.lovelace@example.com",
                "status": "active",
                "amount": 42.5,
                "tags": ["sample", "webhook-studio"]
              }
            }
            """;
        return new SamplePayload("generic", "application/json", Encoding.UTF8.GetBytes(json), IsGeneric: true);
    }
}
