using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using WebhookStudio.Features.Sources.Inbound;

namespace WebhookStudio.Tests.Sources.Inbound;

public class JsonDiffTests
{
    [Fact]
    public void Identical_documents_have_no_changes()
    {
        var json = SamplePayloads.Read("shopify-orders-create.json");

        Assert.Empty(JsonDiff.Diff(Json(json), Json(json)));
    }

    [Fact]
    public void Property_order_does_not_matter()
    {
        Assert.Empty(JsonDiff.Diff(Json("""{"a":1,"b":{"x":1,"y":2}}"""), Json("""{"b":{"y":2,"x":1},"a":1}""")));
    }

    [Theory]
    [InlineData("1", "1.0")]
    [InlineData("1.50", "1.5")]
    [InlineData("100", "1e2")]
    [InlineData("12345678901234567890123456", "12345678901234567890123456.0")]
    public void Numbers_compare_by_value(string oldNumber, string newNumber)
    {
        Assert.Empty(JsonDiff.Diff(Json($$"""{"n":{{oldNumber}},"list":[{{oldNumber}}]}"""), Json($$"""{"n":{{newNumber}},"list":[{{newNumber}}]}""")));
    }

    [Theory]
    [InlineData("1", "2")]
    [InlineData("1", "\"1\"")]
    [InlineData("820982911946154508", "820982911946154509")]
    [InlineData("123456789012345678901234567890", "123456789012345678901234567891")]
    [InlineData("0.1", "0.10000001")]
    public void Different_numbers_or_types_are_a_change(string oldValue, string newValue)
    {
        var change = Assert.Single(JsonDiff.Diff(Json($$"""{"n":{{oldValue}}}"""), Json($$"""{"n":{{newValue}}}""")));

        Assert.Equal("n", change.Path);
    }

    [Fact]
    public void Nested_objects_are_descended()
    {
        var old = Json("""{"customer":{"name":"Jon","address":{"city":"Ottawa","zip":"K2P0V6"}}}""");
        var @new = Json("""{"customer":{"name":"Jon","address":{"city":"Toronto","zip":"K2P0V6"}}}""");

        var change = Assert.Single(JsonDiff.Diff(old, @new));

        Assert.Equal("customer.address.city", change.Path);
        Assert.Equal("Ottawa", (string?)change.Old);
        Assert.Equal("Toronto", (string?)change.New);
    }

    [Fact]
    public void Added_and_removed_fields()
    {
        var changes = JsonDiff.Diff(Json("""{"keep":1,"gone":"x","sub":{"old":true}}"""), Json("""{"keep":1,"added":[1],"sub":{"new":null}}"""));

        Assert.Collection(
            changes,
            c => AssertChange(c, "added", null, "[1]"),
            c => AssertChange(c, "gone", "\"x\"", null),
            c => AssertChange(c, "sub.new", null, "null"),
            c => AssertChange(c, "sub.old", "true", null));
    }

    [Fact]
    public void A_json_null_is_a_value_not_an_absence()
    {
        var change = Assert.Single(JsonDiff.Diff(Json("""{"a":null}"""), Json("{}")));

        Assert.Equal(JTokenType.Null, change.Old?.Type);
        Assert.Null(change.New);
    }

    [Fact]
    public void Arrays_are_compared_as_whole_values()
    {
        var old = Json("""{"line_items":[{"id":1,"qty":1},{"id":2,"qty":1}]}""");
        var @new = Json("""{"line_items":[{"id":1,"qty":1},{"id":2,"qty":3}]}""");

        var change = Assert.Single(JsonDiff.Diff(old, @new));

        Assert.Equal("line_items", change.Path);
        Assert.Equal(2, ((JArray)change.New!).Count);
        Assert.Empty(JsonDiff.Diff(old, Json("""{"line_items":[{"qty":1,"id":1},{"id":2,"qty":1.0}]}""")));
        Assert.Single(JsonDiff.Diff(old, Json("""{"line_items":[{"id":2,"qty":1},{"id":1,"qty":1}]}""")));
    }

    [Fact]
    public void A_field_that_changes_between_object_and_value_is_one_change()
    {
        var changes = JsonDiff.Diff(Json("""{"a":{"x":1},"b":"text"}"""), Json("""{"a":"flat","b":{"y":2}}"""));

        Assert.Collection(
            changes,
            c => AssertChange(c, "a", """{"x":1}""", "\"flat\""),
            c => AssertChange(c, "b", "\"text\"", """{"y":2}"""));
    }

    [Fact]
    public void Without_an_old_version_every_field_is_added()
    {
        var changes = JsonDiff.Diff(null, Json("""{"b":{"c":1},"a":"x"}"""));

        Assert.Collection(
            changes,
            c => AssertChange(c, "a", null, "\"x\""),
            c => AssertChange(c, "b", null, """{"c":1}"""));
    }

    [Theory]
    [InlineData("a.b", "['a.b']")]
    [InlineData("first name", "['first name']")]
    [InlineData("it's", @"['it\'s']")]
    [InlineData(@"back\slash", @"['back\\slash']")]
    [InlineData("0", "['0']")]
    [InlineData("", "['']")]
    [InlineData("$type", "['$type']")]
    [InlineData("first-name", "['first-name']")]
    [InlineData("_id2", "_id2")]
    public void Odd_names_are_bracket_quoted_and_the_path_finds_the_value(string name, string path)
    {
        var old = new JObject { [name] = 1, ["outer"] = new JObject { [name] = 1 } };
        var @new = new JObject { [name] = 2, ["outer"] = new JObject { [name] = 2 } };

        var changes = JsonDiff.Diff(old, @new);

        Assert.Equal([path, "outer" + (path.StartsWith('[') ? path : "." + path)], changes.Select(c => c.Path).Order(StringComparer.Ordinal));
        Assert.All(changes, c => Assert.Same(c.New, @new.SelectToken(c.Path)));
    }

    [Fact]
    public void Changes_are_sorted_by_path()
    {
        var changes = JsonDiff.Diff(Json("""{"z":1,"m":{"b":1,"a":1},"a":1}"""), Json("""{"z":2,"m":{"b":2,"a":2},"a":2}"""));

        Assert.Equal(["a", "m.a", "m.b", "z"], changes.Select(c => c.Path));
    }

    [Fact]
    public void Documents_that_are_not_objects_change_as_a_whole()
    {
        var change = Assert.Single(JsonDiff.Diff(Json("[1,2]"), Json("[1,3]")));

        Assert.Equal(JsonDiff.RootPath, change.Path);
        Assert.Empty(JsonDiff.Diff(Json("[1,2]"), Json("[1.0,2]")));
        Assert.Equal(JsonDiff.RootPath, Assert.Single(JsonDiff.Diff(Json("""{"a":1}"""), Json("[1]"))).Path);
    }

    private static void AssertChange(FieldChange change, string path, string? oldJson, string? newJson)
    {
        Assert.Equal(path, change.Path);
        Assert.Equal(oldJson, change.Old?.ToString(Formatting.None));
        Assert.Equal(newJson, change.New?.ToString(Formatting.None));
    }

    // Any JSON root, read with the same settings as received bodies.
    private static JToken Json(string json) => JsonBody.ReadStored(json);
}
