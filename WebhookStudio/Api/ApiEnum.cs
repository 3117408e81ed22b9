using System.Text.Json;
using WebhookStudio.Infrastructure;

namespace WebhookStudio.Api;

/// <summary>
/// Reads enums back in the form the API writes them (lowercase snake_case: <c>filtered</c>, <c>title_asc</c>,
/// <c>github</c>), for query parameters and hand-read bodies. Only names are accepted: <see cref="Enum.TryParse{TEnum}(string, bool, out TEnum)"/>
/// would also take <c>"7"</c> and give a value no member has.
/// </summary>
public static class ApiEnum
{
    /// <summary>The name the API writes for <paramref name="value"/>.</summary>
    public static string Name<TEnum>(TEnum value) where TEnum : struct, Enum => JsonSerializer.Serialize(value, StudioJson.ApiSpelling).Trim('"');

    /// <summary>The API name or the member name, in any case.</summary>
    public static bool TryParse<TEnum>(string? text, out TEnum value) where TEnum : struct, Enum
    {
        var name = text?.Trim();
        foreach (var candidate in Enum.GetValues<TEnum>())
        {
            if (string.Equals(Name(candidate), name, StringComparison.OrdinalIgnoreCase)
                || string.Equals(candidate.ToString(), name, StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }
        value = default;
        return false;
    }

    /// <summary>An optional enum query parameter: null when absent, a 400 for <paramref name="field"/> when unknown.</summary>
    public static TEnum? Query<TEnum>(string? text, string field) where TEnum : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        return TryParse<TEnum>(text, out var value)
            ? value
            : throw new ValidationException(field, $"{field} is one of: {string.Join(", ", Enum.GetValues<TEnum>().Select(Name))}.");
    }
}
