using System.Text.RegularExpressions;

namespace WebhookStudio.Features.Sources.Inbound;

/// <summary>
/// What is wrong with a piece of JSON, in words about the JSON rather than about System.Text.Json's reader
/// ("a comma before the closing }" rather than "…not supported in this mode. Change the reader options.").
/// A message that is not the reader's (a converter's own sentence) is kept, without the reader's location suffix.
/// </summary>
public static partial class JsonErrorText
{
    public static string Describe(System.Text.Json.JsonException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        // The reader appends " Path: … | LineNumber: … | BytePositionInLine: …."; callers say where themselves.
        var message = exception.Message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].Trim();

        if (message.StartsWith("The JSON object contains a trailing comma", StringComparison.Ordinal))
            return "there is a comma before the closing }; remove it";
        if (message.StartsWith("The JSON array contains a trailing comma", StringComparison.Ordinal))
            return "there is a comma before the closing ]; remove it";
        if (message.StartsWith("Expected depth to be zero", StringComparison.Ordinal))
            return "an object or an array is not closed: a } or ] is missing";
        if (message.StartsWith("The input does not contain any JSON tokens", StringComparison.Ordinal))
            return "there is no JSON in it";
        if (message.StartsWith("Expected end of string, but instead reached end of data", StringComparison.Ordinal))
            return "a text value is not closed: a \" is missing";
        if (ReaderMessage().Match(message) is { Success: true } match)
        {
            var character = match.Groups["c"].Value;
            var rest = match.Groups["rest"].Value;
            if (character == "/")
                return "JSON has no comments";
            if (rest.StartsWith("is invalid without a matching open", StringComparison.Ordinal))
                return $"{character} does not close the object or array that is open";
            if (rest.StartsWith("is an invalid start of a value", StringComparison.Ordinal))
                return character switch
                {
                    "'" => "text is written in double quotes, not single quotes",
                    "/" => "JSON has no comments",
                    "}" or "]" => $"a value is missing before {character}",
                    _ when char.IsLetter(character[0]) => "a word that is not true, false or null; text is written in double quotes",
                    _ => $"{character} cannot start a value: a value is \"text\", a number, true, false, null, an object or an array",
                };
            if (rest.StartsWith("is an invalid start of a property name", StringComparison.Ordinal))
                return character == "}" ? "there is a comma before the closing }; remove it" : "field names are written in double quotes";
            if (rest.StartsWith("is invalid after a property name", StringComparison.Ordinal))
                return "a colon (:) is missing after a field name";
            if (rest.StartsWith("is invalid after a value", StringComparison.Ordinal))
                return $"{character} follows a value where a comma, }} or ] was expected";
            if (rest.StartsWith("is invalid after a single JSON value", StringComparison.Ordinal))
                return "there is more after the JSON value; only one value is allowed";
            if (rest.StartsWith("is invalid within a JSON string", StringComparison.Ordinal))
                return "a text value holds a line break or control character; write it as \\n or \\t";
            if (rest.StartsWith("is an invalid escapable character", StringComparison.Ordinal))
                return $"\\{character} is not an escape JSON knows; write \\\\ for a backslash";
            if (rest.Contains("literal", StringComparison.Ordinal))
                return "a word that is not true, false or null; text is written in double quotes";
            if (rest.StartsWith("is an invalid end of a number", StringComparison.Ordinal))
                return "the JSON ends right after a number: a } or ] is missing";
            if (rest.Contains("number", StringComparison.Ordinal))
                return "a number is written wrongly: digits are needed after a sign or a decimal point";
        }
        return message.Replace(" Change the reader options.", "", StringComparison.Ordinal).TrimEnd('.');
    }

    [GeneratedRegex(@"^'(?<c>.+?)' (?<rest>.*)$", RegexOptions.Singleline)]
    private static partial Regex ReaderMessage();
}
