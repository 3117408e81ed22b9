using System.Globalization;
using System.Text.Json;
using WebhookStudio.Infrastructure;

namespace WebhookStudio.Features.Sources;

/// <summary>How payloads are shown to people: sizes, times and bodies.</summary>
public static class PayloadFormat
{
    public static string Size(int bytes) => bytes < 1024 ? $"{bytes} B" : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB");

    /// <summary>"1 payload", "1,204 payloads".</summary>
    public static string Count(int n, string noun) =>
        n == 1 ? $"1 {noun}" : string.Create(CultureInfo.InvariantCulture, $"{n:N0} {noun}s");

    public static string Time(DateTime at) => at.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>
    /// JSON indented for reading. System.Text.Json keeps numbers as their original text, so Shopify's ids beyond
    /// 2^53 and every unicode character show exactly as received; anything that is not JSON is shown as it is.
    /// </summary>
    public static string Pretty(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return JsonSerializer.Serialize(document.RootElement, StudioJson.Indented);
        }
        catch (JsonException)
        {
            return text;
        }
    }
}
