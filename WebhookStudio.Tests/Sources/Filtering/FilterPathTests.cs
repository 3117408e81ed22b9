using Newtonsoft.Json.Linq;
using WebhookStudio.Features.Sources.Filtering;

namespace WebhookStudio.Tests.Sources.Filtering;

/// <summary>The paths walked without Newtonsoft must select exactly what <c>SelectTokens</c> selects.</summary>
public class FilterPathTests
{
    public static TheoryData<string, string> Cases()
    {
        string[] files = ["github-push.json", "hubspot-contact-events.json", "shopify-orders-create.json", "stripe-invoice-paid.json", "zendesk-ticket-updated.json"];
        string[] paths =
        [
            "$", "$.ref", "$.commits", "$.commits[0].id", "$.commits[1].author.name", "$.commits[2]", "$.commits[*]",
            "$.commits[*].author.name", "$.commits[*].added[0]", "$.commits[*].modified[*]", "$.commits.id", "$.ref[0]",
            "$.ref.length", "$[*]", "$[0]", "$[1].objectId", "$[*].propertyName", "$.detail.tags[1]", "$.data.object.lines.data[0].amount",
            "$.request.id", "$.request.id.more", "$.line_items[*].id", "$.shipping_address.country_code", "$.nope.deeper[*]",
            "$..name", "$['repository']['name']", "$.commits[?(@.author.username == 'mona')].id", "$.commits[-1:].id", "$.*",
        ];
        var cases = new TheoryData<string, string>();
        foreach (var file in files)
        {
            foreach (var path in paths)
                cases.Add(file, path);
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Selects_what_SelectTokens_selects(string file, string path)
    {
        var payload = FilterEvaluatorTests.Payload(SamplePayloads.Read(file));

        var compiled = FilterPath.TryCompile(path, out var error);

        Assert.Null(error);
        Assert.Equal(payload.SelectTokens(path), compiled!.Select(payload, out _)!, ReferenceEqualityComparer.Instance);
    }

    [Theory]
    [InlineData("$.a[")]
    [InlineData("$.a]")]
    [InlineData("$.a[x]")]
    [InlineData("$.a[99999999999]")]
    [InlineData("$.a[?(@.b ==")]
    public void Rejects_what_SelectTokens_rejects(string path)
    {
        Assert.Null(FilterPath.TryCompile(path, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void Newtonsoft_is_the_reference_for_an_object_under_an_array_wildcard()
    {
        var payload = JToken.Parse("""{"a":{"x":1,"y":2}}""");

        Assert.Equal(payload.SelectTokens("$.a[*]"), FilterPath.TryCompile("$.a[*]", out _)!.Select(payload, out _)!, ReferenceEqualityComparer.Instance);
    }
}
