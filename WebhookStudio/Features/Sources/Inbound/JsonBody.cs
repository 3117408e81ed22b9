using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace WebhookStudio.Features.Sources.Inbound;

/// <summary>Parses a received JSON body into a <see cref="JToken"/> the mapping pipeline can use.</summary>
public static class JsonBody
{
    public const int MaxDepth = 64;

    private const string ExpectedShape = "Expected a JSON object or an array of objects";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // Line info on every token would only cost memory: errors are reported by the reader.
    private static readonly JsonLoadSettings LoadSettings = new()
    {
        CommentHandling = CommentHandling.Ignore,
        LineInfoHandling = LineInfoHandling.Ignore,
    };

    public static JsonParseResult Parse(byte[] utf8Body)
    {
        ArgumentNullException.ThrowIfNull(utf8Body);
        return Parse(utf8Body.AsSpan());
    }

    public static JsonParseResult Parse(ReadOnlySpan<byte> utf8Body)
    {
        if (utf8Body.StartsWith(Encoding.UTF8.Preamble))
        {
            utf8Body = utf8Body[Encoding.UTF8.Preamble.Length..];
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(utf8Body);
        }
        catch (DecoderFallbackException)
        {
            return JsonParseResult.Failure(JsonParseErrorKind.Malformed, "The body is not valid UTF-8");
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return JsonParseResult.Failure(JsonParseErrorKind.Malformed, "The body is empty");
        }

        using var reader = CreateReader(new StringReader(text));
        JToken root;
        try
        {
            root = JToken.ReadFrom(reader, LoadSettings);
            // Reading on to the end is what makes the reader reject a second value or other trailing text.
            while (reader.Read())
            {
            }
        }
        catch (JsonReaderException e)
        {
            return Classify(e);
        }

        return CheckShape(root);
    }

    /// <summary>
    /// True when the body is certainly one <see cref="Parse(ReadOnlySpan{byte})"/> accepts: valid UTF-8, an object or an array of objects,
    /// nested less than <see cref="MaxDepth"/> levels, every number one a decimal holds. Checked with System.Text.Json's
    /// forward-only reader, without building a document, on the receiver's hot path (building a Newtonsoft
    /// <c>JToken</c> costs far more). False is no verdict: <see cref="Parse(ReadOnlySpan{byte})"/> then decides and says why,
    /// including for the lenient syntax Newtonsoft reads and this reader does not.
    /// </summary>
    public static bool IsPlainlyAcceptable(ReadOnlySpan<byte> utf8Body)
    {
        if (utf8Body.StartsWith(Encoding.UTF8.Preamble))
        {
            utf8Body = utf8Body[Encoding.UTF8.Preamble.Length..];
        }
        if (!Utf8.IsValid(utf8Body))
        {
            return false;
        }

        var reader = new Utf8JsonReader(utf8Body, new JsonReaderOptions { MaxDepth = MaxDepth - 1, CommentHandling = JsonCommentHandling.Skip });
        try
        {
            if (!reader.Read() || reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
            {
                return false;
            }
            var arrayOfObjects = reader.TokenType == JsonTokenType.StartArray;
            while (reader.Read())
            {
                if (arrayOfObjects && reader.CurrentDepth == 1 && reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.EndObject))
                {
                    return false;
                }
                // Newtonsoft reads numbers as decimals (or big integers): 1e400 is its error to report.
                if (reader.TokenType == JsonTokenType.Number && !reader.TryGetDecimal(out _))
                {
                    return false;
                }
            }
            return true;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// A reader with the settings every stored payload is read with: decimals and dates kept as written
    /// (Shopify ids beyond 2^53, "2024-01-01T00:00:00Z" stays a string) and the nesting limit.
    /// </summary>
    public static JsonTextReader CreateReader(TextReader text) => new(text)
    {
        FloatParseHandling = FloatParseHandling.Decimal,
        DateParseHandling = DateParseHandling.None,
        MaxDepth = MaxDepth,
    };

    private static JsonParseResult Classify(JsonReaderException e)
    {
        // Newtonsoft reports the depth limit as an ordinary reader error, told apart only by its text. The
        // reader's depth is no help: a syntax error at the deepest allowed level shows the same depth.
        var message = WithoutLocation(e);
        if (message.StartsWith("The reader's MaxDepth", StringComparison.Ordinal))
        {
            return JsonParseResult.Failure(
                JsonParseErrorKind.TooDeep,
                $"The JSON is nested more than {MaxDepth} levels deep (line {e.LineNumber}, position {e.LinePosition})");
        }

        return JsonParseResult.Failure(
            JsonParseErrorKind.Malformed,
            $"Invalid JSON at line {e.LineNumber}, position {e.LinePosition}: {message}");
    }

    // Newtonsoft appends " Path '…', line …, position …." to its messages; ours puts the location first.
    private static string WithoutLocation(JsonReaderException e)
    {
        var suffix = e.LineNumber > 0
            ? $" Path '{e.Path}', line {e.LineNumber}, position {e.LinePosition}."
            : $" Path '{e.Path}'.";
        return e.Message.EndsWith(suffix, StringComparison.Ordinal) ? e.Message[..^suffix.Length] : e.Message;
    }

    private static JsonParseResult CheckShape(JToken root)
    {
        if (root is JObject)
        {
            return JsonParseResult.Success(root);
        }

        if (root is not JArray array)
        {
            return JsonParseResult.Failure(JsonParseErrorKind.WrongShape, $"{ExpectedShape}, got {JsonTokens.Describe(root)}");
        }

        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JObject)
            {
                return JsonParseResult.Failure(
                    JsonParseErrorKind.WrongShape,
                    $"{ExpectedShape}, got an array holding {JsonTokens.Describe(array[i])} at index {i}");
            }
        }
        return JsonParseResult.Success(root);
    }
}
