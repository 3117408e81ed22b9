using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using WebhookStudio.Features.Sources.Inbound;

namespace WebhookStudio.Tests.Sources.Inbound;

public class JsonBodyTests
{
    [Fact]
    public void An_object_parses()
    {
        var result = Parse("""{"a": 1, "b": {"c": [true, null]}}""");

        Assert.True(result.IsSuccess);
        Assert.Equal(JTokenType.Object, result.Value.Type);
        Assert.Null(result.ErrorKind);
        Assert.Null(result.Error);
    }

    [Fact]
    public void An_array_of_objects_parses_and_so_does_an_empty_array()
    {
        Assert.True(JsonBody.Parse(File.ReadAllBytes(SamplePayloads.Path("hubspot-contact-events.json"))).IsSuccess);
        Assert.True(Parse("[]").IsSuccess);
    }

    [Fact]
    public void Shopify_ids_beyond_2_pow_53_survive_byte_for_byte()
    {
        var result = JsonBody.Parse(File.ReadAllBytes(SamplePayloads.Path("shopify-orders-create.json")));

        Assert.True(result.IsSuccess);
        var json = result.Value.ToString(Formatting.None);
        Assert.Contains("\"id\":820982911946154508,", json, StringComparison.Ordinal);
        Assert.Contains("\"id\":115310627314723954,", json, StringComparison.Ordinal);
        Assert.Equal(820982911946154508L, result.Value["id"]!.Value<long>());
    }

    [Fact]
    public void Numbers_and_dates_keep_their_written_form()
    {
        var result = Parse("""{"price": 1.50, "huge": 123456789012345678901234567890, "at": "2024-01-01T00:00:00Z"}""");

        Assert.True(result.IsSuccess);
        Assert.Equal(
            """{"price":1.50,"huge":123456789012345678901234567890,"at":"2024-01-01T00:00:00Z"}""",
            result.Value.ToString(Formatting.None));
        Assert.Equal(JTokenType.String, result.Value["at"]!.Type);
    }

    [Theory]
    [InlineData("123456789012345678901234567890.5")]
    [InlineData("1e400")]
    [InlineData("-2.5E-400")]
    [InlineData("0.0000000000000000000000000000001")]
    public void Numbers_beyond_a_decimal_are_kept_as_written(string number)
    {
        var result = Parse($$"""{"n": {{number}}}""");

        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal($$"""{"n":{{number}}}""", result.Value.ToString(Formatting.None));
        Assert.Equal($$"""{"n":{{number}}}""", JsonBody.ReadStored(result.Value.ToString(Formatting.None)).ToString(Formatting.None));
    }

    [Fact]
    public void Four_hundred_digit_integers_and_fractions_keep_every_digit()
    {
        var integer = "9" + new string('1', 399);
        var fraction = "0." + new string('1', 400);
        var result = Parse($$"""{"i": {{integer}}, "f": {{fraction}}, "small": 0.5, "e": 1.5e3}""");

        Assert.True(result.IsSuccess, result.Error);
        var written = result.Value.ToString(Formatting.None);
        Assert.Contains($"\"i\":{integer},", written, StringComparison.Ordinal);
        Assert.Contains($"\"f\":{fraction},", written, StringComparison.Ordinal);
        Assert.Equal(JTokenType.Float, result.Value["small"]!.Type);
        Assert.Equal(1500m, result.Value["e"]!.Value<decimal>());
    }

    [Theory]
    [InlineData("{'a':1}")]
    [InlineData("{a:1}")]
    [InlineData("{\"a\":\"x\u0000y\"}")]
    [InlineData("{\"a\":\"line\nbreak\"}")]
    [InlineData("{\"a\":1,}")]
    [InlineData("[{},]")]
    [InlineData("/* c */ {\"a\": 1}")]
    [InlineData("{\"a\": 1} // c")]
    [InlineData("{\"a\": NaN}")]
    [InlineData("{\"a\": Infinity}")]
    [InlineData("{\"a\": 01}")]
    [InlineData("{\"a\": .5}")]
    [InlineData("{\"a\": +1}")]
    [InlineData("{\"a\": 0x10}")]
    [InlineData("{\"a\": undefined}")]
    [InlineData("{\"a\": \"\\x41\"}")]
    [InlineData("{\"s\": \"\\ud800\"}")]
    public void Only_rfc_8259_json_is_accepted(string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);

        Assert.Equal(JsonParseErrorKind.Malformed, JsonBody.Parse(bytes).ErrorKind);
        Assert.False(JsonBody.IsPlainlyAcceptable(bytes));
    }

    [Fact]
    public void A_utf8_bom_is_tolerated()
    {
        var body = Encoding.UTF8.Preamble.ToArray().Concat(Encoding.UTF8.GetBytes("""{"name":"Zoë"}""")).ToArray();

        var result = JsonBody.Parse(body);

        Assert.True(result.IsSuccess);
        Assert.Equal("Zoë", (string?)result.Value["name"]);
    }

    [Fact]
    public void The_span_overload_parses_a_slice()
    {
        var buffer = Encoding.UTF8.GetBytes("xx{\"a\":1}yy");

        var result = JsonBody.Parse(buffer.AsSpan(2, 7));

        Assert.True(result.IsSuccess);
    }

    [Fact]
    public void A_syntax_error_reports_line_and_position()
    {
        var result = Parse("{\n  \"a\": 1,\n  \"b\": }\n");

        Assert.False(result.IsSuccess);
        Assert.Equal(JsonParseErrorKind.Malformed, result.ErrorKind);
        Assert.Equal("Invalid JSON at line 3, position 8: a value is missing before }", result.Error);
    }

    [Theory]
    [InlineData("{} x")]
    [InlineData("{}{}")]
    [InlineData("[{}] [{}]")]
    [InlineData("{\"a\":1}}")]
    public void Trailing_content_is_malformed(string body)
    {
        var result = Parse(body);

        Assert.Equal(JsonParseErrorKind.Malformed, result.ErrorKind);
        Assert.StartsWith("Invalid JSON at line 1, position ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Trailing_whitespace_is_fine()
    {
        Assert.True(Parse("{}\r\n\t  \n").IsSuccess);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n ")]
    [InlineData("{")]
    [InlineData("{\"a\":")]
    [InlineData("[{}")]
    [InlineData("{\"a\":1")]
    [InlineData("/* only a comment */")]
    [InlineData("{\"a\":\"unterminated}")]
    public void Empty_and_truncated_bodies_are_malformed(string body)
    {
        var result = Parse(body);

        Assert.Equal(JsonParseErrorKind.Malformed, result.ErrorKind);
        Assert.False(string.IsNullOrWhiteSpace(result.Error));
    }

    [Fact]
    public void Invalid_utf8_is_malformed()
    {
        var result = JsonBody.Parse([(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}']);

        Assert.Equal(JsonParseErrorKind.Malformed, result.ErrorKind);
        Assert.Contains("UTF-8", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_up_to_the_limit_parses()
    {
        Assert.True(Parse(NestedObjects(JsonBody.MaxDepth)).IsSuccess);
    }

    [Fact]
    public void Nesting_over_the_limit_is_too_deep()
    {
        var result = Parse(NestedObjects(JsonBody.MaxDepth + 1));

        Assert.Equal(JsonParseErrorKind.TooDeep, result.ErrorKind);
        Assert.Contains("64", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_syntax_error_at_the_deepest_allowed_level_is_malformed_not_too_deep()
    {
        var body = NestedObjects(JsonBody.MaxDepth).Replace("{}", "{\"b\":x}", StringComparison.Ordinal);

        Assert.Equal(JsonParseErrorKind.Malformed, Parse(body).ErrorKind);
    }

    [Fact]
    public void Very_deep_nesting_fails_without_overflowing_the_stack()
    {
        var body = "[" + new string('[', 200_000) + new string(']', 200_000) + "]";

        Assert.Equal(JsonParseErrorKind.TooDeep, Parse(body).ErrorKind);
    }

    [Theory]
    [InlineData("\"text\"", "got a string")]
    [InlineData("42", "got a number")]
    [InlineData("4.2", "got a number")]
    [InlineData("null", "got null")]
    [InlineData("true", "got a boolean")]
    [InlineData("[{}, {}, 3]", "got an array holding a number at index 2")]
    [InlineData("[[{}]]", "got an array holding an array at index 0")]
    [InlineData("[{}, null]", "got an array holding null at index 1")]
    public void Anything_but_an_object_or_an_array_of_objects_has_the_wrong_shape(string body, string got)
    {
        var result = Parse(body);

        Assert.Equal(JsonParseErrorKind.WrongShape, result.ErrorKind);
        Assert.Equal($"Expected a JSON object or an array of objects, {got}", result.Error);
    }

    [Fact]
    public void Every_json_sample_parses()
    {
        var files = Directory.GetFiles(Path.GetDirectoryName(SamplePayloads.Path("README.md"))!, "*.json");

        Assert.NotEmpty(files);
        Assert.All(files, file => Assert.True(JsonBody.Parse(File.ReadAllBytes(file)).IsSuccess, file));
    }

    /// <summary>Bodies of every kind above, and the lenient syntax only Newtonsoft reads.</summary>
    public static TheoryData<string> MixedBodies => new()
    {
        "{}", "[]", "[{}, {\"a\": [1, 2, {\"b\": null}]}]", "{\"id\": 820982911946154508123}", "{\"n\": 1.5e3}",
        "{\"n\": 1e400}", "{\"n\": 0.1234567890123456789012345678901}", "{} x", "{}{}", "{\"a\":1}}", "", "  ", "{", "[{}",
        "\"text\"", "42", "null", "[{}, 3]", "[[{}]]", "[{}, null]", "{'single': 'quotes'}", "{unquoted: 1}", "{\"a\": 1,}",
        "/* c */ {\"a\": 1}", "{\"a\": NaN}", "{\"s\": \"\\ud800\"}", "\uFEFF{\"bom\": true}",
        NestedObjects(JsonBody.MaxDepth - 1), NestedObjects(JsonBody.MaxDepth), NestedObjects(JsonBody.MaxDepth + 1),
    };

    [Theory]
    [MemberData(nameof(MixedBodies))]
    public void The_quick_check_accepts_only_what_parse_accepts(string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);

        if (JsonBody.IsPlainlyAcceptable(bytes))
            Assert.True(JsonBody.Parse(bytes).IsSuccess, body);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("[{\"a\": 1}, {\"b\": [true, null, \"x\"]}]")]
    [InlineData("\uFEFF{\"id\": 820982911946154508}")]
    [InlineData("{\"n\": 1e400}")]
    public void The_quick_check_accepts_plain_json_objects(string body) =>
        Assert.True(JsonBody.IsPlainlyAcceptable(Encoding.UTF8.GetBytes(body)));

    [Theory]
    [InlineData("{\"n\": 1,}")]
    [InlineData("[{}, 3]")]
    [InlineData("{'single': 1}")]
    [InlineData("{} x")]
    public void The_quick_check_leaves_the_rest_to_parse(string body) =>
        Assert.False(JsonBody.IsPlainlyAcceptable(Encoding.UTF8.GetBytes(body)));

    [Fact]
    public void The_quick_check_leaves_invalid_utf8_and_the_depth_limit_to_parse()
    {
        Assert.False(JsonBody.IsPlainlyAcceptable([.. "{\"a\":\""u8, 0xC3, 0x28, .. "\"}"u8]));
        Assert.False(JsonBody.IsPlainlyAcceptable(Encoding.UTF8.GetBytes(NestedObjects(JsonBody.MaxDepth))));
        Assert.True(JsonBody.IsPlainlyAcceptable(Encoding.UTF8.GetBytes(NestedObjects(JsonBody.MaxDepth - 1))));
    }

    [Fact]
    public void The_quick_check_accepts_every_json_sample()
    {
        var files = Directory.GetFiles(Path.GetDirectoryName(SamplePayloads.Path("README.md"))!, "*.json");

        Assert.All(files, file => Assert.True(JsonBody.IsPlainlyAcceptable(File.ReadAllBytes(file)), file));
    }

    // {"a":{"a":...{}...}}: the root object and every "a" object count as one level each.
    private static string NestedObjects(int depth) =>
        string.Concat(Enumerable.Repeat("{\"a\":", depth - 1)) + "{}" + new string('}', depth - 1);

    private static JsonParseResult Parse(string body) => JsonBody.Parse(Encoding.UTF8.GetBytes(body));
}
