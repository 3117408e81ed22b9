using System.Text.Json;
using WebhookStudio.Features.Sources.Inbound;

namespace WebhookStudio.Tests.Sources.Inbound;

/// <summary>What the reader finds wrong with JSON, said about the JSON: the reader's own exceptions go in, sentences for people come out.</summary>
public sealed class JsonErrorTextTests
{
    private static string Describe(string json)
    {
        var error = Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(json));
        return JsonErrorText.Describe(error);
    }

    [Theory]
    [InlineData("""{"a": 1,}""", "there is a comma before the closing }; remove it")]
    [InlineData("""[1, 2,]""", "there is a comma before the closing ]; remove it")]
    [InlineData("""{'a': 1}""", "field names are written in double quotes")]
    [InlineData("""{a: 1}""", "field names are written in double quotes")]
    [InlineData("""{"a": 'x'}""", "text is written in double quotes, not single quotes")]
    [InlineData("{\"a\": 1 // note\n}", "JSON has no comments")]
    [InlineData("""{"a" 1}""", "a colon (:) is missing after a field name")]
    [InlineData("""{"a": 1 "b": 2}""", "\" follows a value where a comma, } or ] was expected")]
    [InlineData("""{"a": [1, 2}""", "} does not close the object or array that is open")]
    [InlineData("""{"a": [1]""", "an object or an array is not closed: a } or ] is missing")]
    [InlineData("""{"a": 1""", "the JSON ends right after a number: a } or ] is missing")]
    [InlineData("""{"a": 1.}""", "a number is written wrongly: digits are needed after a sign or a decimal point")]
    [InlineData("""{"a": "x""", "a text value is not closed: a \" is missing")]
    [InlineData("""{"a": 1} {"b": 2}""", "there is more after the JSON value; only one value is allowed")]
    [InlineData("""{"a": yes}""", "a word that is not true, false or null; text is written in double quotes")]
    [InlineData("", "there is no JSON in it")]
    public void The_reader_s_errors_read_as_what_is_wrong_with_the_json(string json, string expected)
    {
        var described = Describe(json);
        Assert.Equal(expected, described);
        Assert.DoesNotContain("reader options", described, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", described, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sentence_that_is_not_the_reader_s_is_kept()
    {
        var own = new JsonException("The condition group needs \"all\" or \"any\". Path: $ | LineNumber: 0 | BytePositionInLine: 2.");
        Assert.Equal("The condition group needs \"all\" or \"any\"", JsonErrorText.Describe(own));
    }
}
