using System.Globalization;
using Newtonsoft.Json.Linq;

namespace WebhookStudio.Features.Sources.Inbound;

internal static class JsonTokens
{
    /// <summary>The kind of a token as a user reads it: "a string", "a number", "null"...</summary>
    public static string Describe(JToken token) => token.Type switch
    {
        JTokenType.Object => "an object",
        JTokenType.Array => "an array",
        JTokenType.String => "a string",
        JTokenType.Integer or JTokenType.Float => "a number",
        JTokenType.Boolean => "a boolean",
        JTokenType.Null or JTokenType.Undefined => "null",
        _ => "a " + token.Type.ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// A scalar as text, culture-free; numbers as the reader kept them (decimal keeps "1.50", big integers stay exact).
    /// Null for JSON null and for containers.
    /// </summary>
    public static string? ScalarText(JToken token) => token is JValue value
        ? value.Value switch
        {
            null => null,
            string text => text,
            bool flag => flag ? "true" : "false",
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            var other => other.ToString(),
        }
        : null;
}
