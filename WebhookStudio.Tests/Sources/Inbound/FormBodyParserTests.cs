using Newtonsoft.Json.Linq;
using WebhookStudio.Features.Sources.Inbound;

namespace WebhookStudio.Tests.Sources.Inbound;

public class FormBodyParserTests
{
    [Fact]
    public void Mailchimp_sample_nests_bracket_keys_and_decodes_values()
    {
        var form = FormBodyParser.Parse(SamplePayloads.Read("mailchimp-subscribe.form").Trim());

        Assert.Equal("subscribe", (string?)form["type"]);
        Assert.Equal("2026-11-21 21:35:57", (string?)form["fired_at"]);
        Assert.Equal("8a25ff1d98", (string?)form.SelectToken("data.id"));
        Assert.Equal("a6b5da1054", (string?)form.SelectToken("data.list_id"));
        Assert.Equal("api@example.com", (string?)form.SelectToken("data.merges.EMAIL"));
        Assert.Equal("Ada", (string?)form.SelectToken("data.merges.FNAME"));
        Assert.Equal("Group1,Group2", (string?)form.SelectToken("data.merges.INTERESTS"));
        Assert.Equal("10.20.10.30", (string?)form.SelectToken("data.ip_opt"));
    }

    [Fact]
    public void Plus_is_a_space_and_percent_escapes_are_utf8()
    {
        AssertParses("name=J%C3%BCrgen+M%C3%BCller&note=100%25+sure", """{"name":"Jürgen Müller","note":"100% sure"}""");
    }

    [Fact]
    public void Values_stay_strings()
    {
        var form = FormBodyParser.Parse("count=5&ok=true&none=null");

        Assert.All(form.Properties(), p => Assert.Equal(JTokenType.String, p.Value.Type));
    }

    [Fact]
    public void Empty_brackets_append_to_an_array()
    {
        AssertParses("a[]=1&a[]=2", """{"a":["1","2"]}""");
        AssertParses("a[]=only", """{"a":["only"]}""");
    }

    [Fact]
    public void Repeated_keys_become_an_array()
    {
        AssertParses("tag=x&tag=y&tag=z", """{"tag":["x","y","z"]}""");
        AssertParses("o[k]=1&o[k]=2", """{"o":{"k":["1","2"]}}""");
    }

    [Fact]
    public void Numeric_indices_are_object_keys()
    {
        AssertParses(
            "list[0][x]=a&list[0][y]=b&list[2][x]=c",
            """{"list":{"0":{"x":"a","y":"b"},"2":{"x":"c"}}}""");
    }

    [Fact]
    public void Empty_brackets_before_a_name_start_a_new_object_each_time()
    {
        AssertParses("items[][sku]=A&items[][sku]=B", """{"items":[{"sku":"A"},{"sku":"B"}]}""");
    }

    [Theory]
    [InlineData("a=1&a[b]=2", """{"a":["1",{"b":"2"}]}""")]
    [InlineData("a[b]=2&a=1", """{"a":[{"b":"2"},"1"]}""")]
    [InlineData("a=1&a[b]=2&a[c]=3", """{"a":["1",{"b":"2","c":"3"}]}""")]
    [InlineData("a[b]=1&a[]=2", """{"a":[{"b":"1"},"2"]}""")]
    [InlineData("a[]=1&a[x]=2", """{"a":["1",{"x":"2"}]}""")]
    public void Conflicts_keep_every_value_in_arrival_order(string body, string expected)
    {
        AssertParses(body, expected);
    }

    [Theory]
    [InlineData("a[b=1", "a[b")]
    [InlineData("a]b=1", "a]b")]
    [InlineData("a[b]c=1", "a[b]c")]
    [InlineData("[x]=1", "[x]")]
    [InlineData("a[b[c]]=1", "a[b[c]]")]
    public void Unbalanced_brackets_keep_the_key_literal(string body, string key)
    {
        var form = FormBodyParser.Parse(body);

        Assert.Equal("1", (string?)form.Property(key)?.Value);
    }

    [Fact]
    public void Keys_deeper_than_the_limit_stay_literal()
    {
        var key = "a" + string.Concat(Enumerable.Repeat("[x]", FormBodyParser.MaxDepth));

        var form = FormBodyParser.Parse(key + "=1");

        Assert.Equal("1", (string?)form.Property(key)?.Value);
    }

    [Fact]
    public void Keys_at_the_limit_nest()
    {
        var key = "a" + string.Concat(Enumerable.Repeat("[x]", FormBodyParser.MaxDepth - 1));

        var form = FormBodyParser.Parse(key + "=1");

        Assert.Equal("1", (string?)form.SelectToken("a" + string.Concat(Enumerable.Repeat(".x", FormBodyParser.MaxDepth - 1))));
    }

    [Fact]
    public void Empty_pairs_are_skipped_and_a_key_without_equals_has_an_empty_value()
    {
        AssertParses("&&flag&a=1&", """{"flag":"","a":"1"}""");
        AssertParses("", "{}");
    }

    [Fact]
    public void Only_the_first_equals_sign_separates_key_and_value()
    {
        AssertParses("q=a=b", """{"q":"a=b"}""");
    }

    private static void AssertParses(string body, string expectedJson)
    {
        var actual = FormBodyParser.Parse(body);
        var expected = JObject.Parse(expectedJson);
        Assert.True(JToken.DeepEquals(expected, actual), $"Expected {expected.ToString(Newtonsoft.Json.Formatting.None)} but got {actual.ToString(Newtonsoft.Json.Formatting.None)}");
    }
}
