using System.Text;
using Microsoft.Net.Http.Headers;
using Newtonsoft.Json.Linq;
using WebhookStudio.Features.Sources.Inbound;

namespace WebhookStudio.Features.Sources.Pipeline;

/// <summary>Turns a stored body back into the JSON the mapping works on (form posts become nested objects).</summary>
public static class PayloadDocument
{
    public static bool IsForm(string contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && media.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);

    /// <returns>The document, or null with the reason it cannot be read.</returns>
    public static (JToken? Document, string? Error) Read(string contentType, byte[] body)
    {
        if (IsForm(contentType))
            return (FormBodyParser.Parse(Encoding.UTF8.GetString(body)), null);
        var parsed = JsonBody.Parse(body);
        return parsed.IsSuccess ? (parsed.Value, null) : (null, parsed.Error);
    }
}
