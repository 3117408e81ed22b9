using System.Text.Encodings.Web;
using System.Text.Json;
using WebhookStudio.Api;

namespace WebhookStudio.Infrastructure;

/// <summary>
/// The JSON options every feature serializes with (System.Text.Json; Newtonsoft only where JSONPath reads a
/// document). Stored and shown JSON is read by people, so "€", "&lt;" and quotes stay as written instead of being
/// \u-escaped; none of it is embedded in HTML unencoded.
/// </summary>
public static class StudioJson
{
    /// <summary>camelCase names, readable characters, compact: what is stored and exchanged.</summary>
    public static readonly JsonSerializerOptions Options = Frozen(new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    /// <summary>As <see cref="Options"/>, indented: what is shown to a person or saved to a file.</summary>
    public static readonly JsonSerializerOptions Indented = Frozen(new(Options) { WriteIndented = true });

    /// <summary>As <see cref="Options"/>, with enums spelled the way the API writes them ("item_created").</summary>
    public static readonly JsonSerializerOptions ApiSpelling = Frozen(new(Options)
    {
        Converters = { StudioApi.EnumConverter() },
    });

    private static JsonSerializerOptions Frozen(JsonSerializerOptions options)
    {
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
