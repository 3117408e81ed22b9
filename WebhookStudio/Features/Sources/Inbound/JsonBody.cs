using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Newtonsoft.Json.Linq;

namespace WebhookStudio.Features.Sources.Inbound;

/// <summary>Parses a received JSON body into a <see cref="JToken"/> the mapping pipeline can use.</summary>
public static class JsonBody
{
    public const int MaxDepth = 64;

    private const string ExpectedShape = "Expected a JSON object or an array of objects";

    public static JsonParseResult Parse(byte[] utf8Body)
    {
        ArgumentNullException.ThrowIfNull(utf8Body);
        return Parse(utf8Body.AsSpan());
    }

    /// <summary>
    /// Exactly RFC 8259 JSON (System.Text.Json's reader: no comments, single quotes, bare names, trailing commas,
    /// NaN or raw control characters in strings), built into a <see cref="JToken"/> with every number as written:
    /// see <see cref="Number"/>.
    /// </summary>
    public static JsonParseResult Parse(ReadOnlySpan<byte> utf8Body)
    {
        if (utf8Body.StartsWith(Encoding.UTF8.Preamble))
        {
            utf8Body = utf8Body[Encoding.UTF8.Preamble.Length..];
        }
        if (!Utf8.IsValid(utf8Body))
        {
            return JsonParseResult.Failure(JsonParseErrorKind.Malformed, "The body is not valid UTF-8");
        }
        if (utf8Body.IndexOfAnyExcept(" \t\r\n"u8) < 0)
        {
            return JsonParseResult.Failure(JsonParseErrorKind.Malformed, "The body is empty");
        }

        var reader = new Utf8JsonReader(utf8Body, new JsonReaderOptions { MaxDepth = MaxDepth, CommentHandling = JsonCommentHandling.Disallow });
        JToken root;
        try
        {
            root = ReadValue(ref reader);
            // Reading on to the end is what makes the reader reject a second value or other trailing text.
            while (reader.Read())
            {
            }
        }
        catch (System.Text.Json.JsonException e)
        {
            return Classify(e);
        }
        catch (InvalidOperationException)
        {
            return JsonParseResult.Failure(JsonParseErrorKind.Malformed,
                "Invalid JSON: a string holds an escaped surrogate (\\uD800-\\uDFFF) without its pair, which is no Unicode text");
        }

        return CheckShape(root);
    }

    /// <summary>Reads JSON the studio wrote itself (item data) the same way as payloads, so numbers and dates stay as they are.</summary>
    public static JToken ReadStored(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json), new JsonReaderOptions { MaxDepth = MaxDepth + 1 });
        return ReadValue(ref reader);
    }

    /// <summary>
    /// True when the body is certainly one <see cref="Parse(ReadOnlySpan{byte})"/> accepts: valid UTF-8, an object or an array of objects,
    /// nested less than <see cref="MaxDepth"/> levels. Checked with System.Text.Json's forward-only reader, without building
    /// a document, on the receiver's hot path. False is no verdict: <see cref="Parse(ReadOnlySpan{byte})"/> then decides and says why.
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

        var reader = new Utf8JsonReader(utf8Body, new JsonReaderOptions { MaxDepth = MaxDepth - 1, CommentHandling = JsonCommentHandling.Disallow });
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
                // An escaped lone surrogate is valid syntax but no text: Parse refuses it and explains.
                if (reader.ValueIsEscaped && (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName) && HasEscapedSurrogate(reader.ValueSpan))
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

    private static bool HasEscapedSurrogate(ReadOnlySpan<byte> escaped) =>
        escaped.IndexOf("\\ud"u8) >= 0 || escaped.IndexOf("\\uD"u8) >= 0;

    /// <summary>One JSON value from the reader's next token, built without recursion (the depth limit stays the reader's).</summary>
    private static JToken ReadValue(ref Utf8JsonReader reader)
    {
        var open = new Stack<JContainer>();
        JToken? root = null;
        string? name = null;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    name = reader.GetString();
                    break;
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    JContainer container = reader.TokenType == JsonTokenType.StartObject ? new JObject() : new JArray();
                    Attach(container);
                    open.Push(container);
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    open.Pop();
                    if (open.Count == 0) return root!;
                    break;
                default:
                    Attach(Scalar(ref reader));
                    if (open.Count == 0) return root!;
                    break;
            }
        }
        throw new System.Text.Json.JsonException("The JSON ends before its first value is complete.");

        void Attach(JToken token)
        {
            if (open.Count == 0)
                root = token;
            else if (open.Peek() is JObject parent)
                parent[name!] = token; // a repeated name keeps its last value, as Newtonsoft did
            else
                ((JArray)open.Peek()).Add(token);
        }
    }

    private static JValue Scalar(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => new JValue(reader.GetString()),
        JsonTokenType.Number => Number(reader.ValueSpan),
        JsonTokenType.True => new JValue(true),
        JsonTokenType.False => new JValue(false),
        _ => JValue.CreateNull(),
    };

    /// <summary>
    /// A number as written: a long or a big integer for integers, a decimal when it holds the value exactly (and
    /// keeps its trailing zeros, 1.50), otherwise the text itself (400 digits, 1e400), written back verbatim.
    /// </summary>
    private static JValue Number(ReadOnlySpan<byte> raw)
    {
        if (System.Buffers.Text.Utf8Parser.TryParse(raw, out long whole, out var used) && used == raw.Length)
            return new JValue(whole);
        var text = Encoding.ASCII.GetString(raw);
        if (raw.IndexOfAny(".eE"u8) < 0)
            return new JValue(BigInteger.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var exact)
            && Significant(exact.ToString(CultureInfo.InvariantCulture)) == Significant(text))
            return new JValue(exact);
        return new JRaw(text);
    }

    /// <summary>A number's value as sign, significant digits and exponent ("-15e2" for -1.50e3), to tell whether a decimal kept it.</summary>
    private static string Significant(string number)
    {
        var negative = number.StartsWith('-');
        var body = negative ? number[1..] : number;
        var e = body.IndexOfAny(['e', 'E']);
        if (!long.TryParse(e < 0 ? "0" : body[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exponent))
            return number;
        var mantissa = e < 0 ? body : body[..e];
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var digits = dot < 0 ? mantissa : mantissa.Remove(dot, 1);
        var pointAt = dot < 0 ? mantissa.Length : dot;
        var leadingZeros = digits.Length - digits.TrimStart('0').Length;
        var significant = digits.Trim('0');
        return significant.Length == 0
            ? "0"
            : $"{(negative ? "-" : "")}{significant}e{exponent + pointAt - leadingZeros - significant.Length}";
    }

    private static JsonParseResult Classify(System.Text.Json.JsonException e)
    {
        var line = (e.LineNumber ?? 0) + 1;
        var position = (e.BytePositionInLine ?? 0) + 1;
        if (e.Message.Contains("maximum configured depth", StringComparison.Ordinal))
        {
            return JsonParseResult.Failure(
                JsonParseErrorKind.TooDeep,
                $"The JSON is nested more than {MaxDepth} levels deep (line {line}, position {position})");
        }

        return JsonParseResult.Failure(JsonParseErrorKind.Malformed, $"Invalid JSON at line {line}, position {position}: {JsonErrorText.Describe(e)}");
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
